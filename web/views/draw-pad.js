// The drawing pad: pointer input (mouse, touch, pen) into thick round strokes on a
// high-DPI canvas. It only draws; turning the pixels into features is the engine's job.
// Strokes are kept in canvas-relative units so a resize redraws them sharply.
import { fitCanvas } from './hidpi.js';

const LINE_WIDTH = 0.075;  // of the pad's width: close to the dataset's pen at 8x8
const INK = '#1b1f2a';

export class DrawPad {
  // onChange(final): called while drawing (final = false) and when a stroke ends (true).
  constructor(canvas, onChange) {
    this.canvas_ = canvas;
    this.onChange_ = onChange;
    canvas.getContext('2d', { willReadFrequently: true });  // pixels are read after every stroke
    this.strokes_ = [];       // [[x, y], ...] per stroke, 0..1 of the pad's width/height
    this.keyboardStrokes_ = [];  // the keyboard grid's drawing (keyboard-grid.js), same units
    this.active_ = null;      // the stroke under the pointer
    this.pointerId_ = null;
    canvas.addEventListener('pointerdown', (e) => this.down_(e));
    canvas.addEventListener('pointermove', (e) => this.move_(e));
    canvas.addEventListener('pointerup', (e) => this.up_(e));
    canvas.addEventListener('pointercancel', (e) => this.up_(e));
    new ResizeObserver(() => this.redraw_()).observe(canvas);
    this.redraw_();
  }

  isBlank() {
    return this.strokes_.length === 0 && this.keyboardStrokes_.length === 0;
  }

  // The keyboard grid's drawing replaces the last one it made; pointer strokes stay.
  setKeyboardStrokes(strokes) {
    this.keyboardStrokes_ = strokes;
    this.redraw_();
    this.onChange_(true);
  }

  // A copy of the strokes (0..1 of the pad), e.g. to keep a taught drawing.
  strokes() {
    return this.strokes_.map((stroke) => stroke.map(([x, y]) => [x, y]));
  }

  clear() {
    this.strokes_ = [];
    this.keyboardStrokes_ = [];
    this.active_ = null;
    this.redraw_();
    this.onChange_(true);
  }

  // The backing store's RGBA pixels (a fresh buffer, safe to transfer).
  pixels() {
    const { width, height } = this.canvas_;
    const data = this.canvas_.getContext('2d').getImageData(0, 0, width, height).data;
    return { pixels: data, width, height };
  }

  down_(event) {
    if (this.pointerId_ !== null || (event.pointerType === 'mouse' && event.button !== 0)) return;
    event.preventDefault();
    this.pointerId_ = event.pointerId;
    this.canvas_.setPointerCapture(event.pointerId);
    this.active_ = [this.point_(event)];
    this.strokes_.push(this.active_);
    this.drawStroke_(this.active_);  // a single point is a dot
    this.onChange_(false);
  }

  move_(event) {
    if (event.pointerId !== this.pointerId_ || !this.active_) return;
    const events = event.getCoalescedEvents ? event.getCoalescedEvents() : [event];
    const start = this.active_.length - 1;
    for (const e of events.length ? events : [event]) this.active_.push(this.point_(e));
    this.drawStroke_(this.active_, start);
    this.onChange_(false);
  }

  up_(event) {
    if (event.pointerId !== this.pointerId_) return;
    if (this.canvas_.hasPointerCapture(event.pointerId)) this.canvas_.releasePointerCapture(event.pointerId);
    this.pointerId_ = null;
    this.active_ = null;
    this.onChange_(true);
  }

  point_(event) {
    const rect = this.canvas_.getBoundingClientRect();
    return [(event.clientX - rect.left) / rect.width, (event.clientY - rect.top) / rect.height];
  }

  redraw_() {
    const { ctx, width, height } = fitCanvas(this.canvas_);
    ctx.clearRect(0, 0, width, height);
    for (const stroke of this.keyboardStrokes_) this.drawStroke_(stroke);
    for (const stroke of this.strokes_) this.drawStroke_(stroke);
  }

  // Draws the stroke from point `from` on (the whole stroke by default).
  drawStroke_(stroke, from = 0) {
    const ctx = this.canvas_.getContext('2d');
    const rect = this.canvas_.getBoundingClientRect();
    const ratio = this.canvas_.width / Math.max(1, rect.width);
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    const w = rect.width, h = rect.height;
    ctx.strokeStyle = INK;
    ctx.fillStyle = INK;
    ctx.lineWidth = LINE_WIDTH * w;
    ctx.lineCap = 'round';
    ctx.lineJoin = 'round';
    if (stroke.length === 1) {
      ctx.beginPath();
      ctx.arc(stroke[0][0] * w, stroke[0][1] * h, ctx.lineWidth / 2, 0, 2 * Math.PI);
      ctx.fill();
      return;
    }
    ctx.beginPath();
    ctx.moveTo(stroke[from][0] * w, stroke[from][1] * h);
    for (let i = from + 1; i < stroke.length; i++) ctx.lineTo(stroke[i][0] * w, stroke[i][1] * h);
    ctx.stroke();
  }
}

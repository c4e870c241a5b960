// Drawing without a mouse: a 16x16 grid (role=grid, test hook keyboard-grid) that the arrow
// keys move over and Space (or Enter) inks or erases. The inked cells become strokes on the
// drawing pad (dots at the cells' centres, joined to their inked neighbours), so a keyboard
// drawing goes through exactly what a pen drawing does: the pad's raster, then the engine's
// preprocessing. The guess is announced by the prediction's live region. Clearing the pad
// clears the grid.
import { onLanguageChange, t } from './i18n.js';

export const GRID_SIZE = 16;

// The strokes ([[x, y], ...] in 0..1 of the pad) for the inked cells: a dot for each, and a
// segment to each inked neighbour to the right, below, and on both lower diagonals, so
// diagonal lines are as unbroken as straight ones. inked: booleans, row by row.
export function gridStrokes(inked, size = GRID_SIZE) {
  const centre = (row, col) => [(col + 0.5) / size, (row + 0.5) / size];
  const on = (row, col) => row >= 0 && col >= 0 && row < size && col < size && inked[row * size + col];
  const strokes = [];
  for (let row = 0; row < size; row++) {
    for (let col = 0; col < size; col++) {
      if (!on(row, col)) continue;
      strokes.push([centre(row, col)]);
      for (const [dr, dc] of [[0, 1], [1, 0], [1, 1], [1, -1]]) {
        if (on(row + dr, col + dc)) strokes.push([centre(row, col), centre(row + dr, col + dc)]);
      }
    }
  }
  return strokes;
}

export class KeyboardGrid {
  // container: the element to fill; pad: the DrawPad (views/draw-pad.js) to draw on.
  constructor(container, pad, clearButton) {
    this.pad_ = pad;
    this.inked_ = new Array(GRID_SIZE * GRID_SIZE).fill(false);
    this.active_ = Math.floor(GRID_SIZE / 2) * GRID_SIZE + Math.floor(GRID_SIZE / 2);
    this.cells_ = [];
    container.setAttribute('role', 'grid');
    const label = () => container.setAttribute('aria-label', t('keyboard.gridLabel', { size: GRID_SIZE }));
    label();
    onLanguageChange(() => {
      label();
      this.cells_.forEach((cell, index) => this.paintCell_(index));
    });
    container.setAttribute('aria-describedby', 'keyboard-grid-help');
    for (let row = 0; row < GRID_SIZE; row++) {
      const line = document.createElement('div');
      line.setAttribute('role', 'row');
      line.className = 'kg-row';
      for (let col = 0; col < GRID_SIZE; col++) {
        const cell = document.createElement('div');
        cell.setAttribute('role', 'gridcell');
        cell.className = 'kg-cell';
        cell.dataset.row = String(row);
        cell.dataset.col = String(col);
        cell.tabIndex = -1;
        cell.addEventListener('click', () => { this.moveTo_(row * GRID_SIZE + col); this.toggle_(); });
        line.append(cell);
        this.cells_.push(cell);
      }
      container.append(line);
    }
    this.cells_.forEach((_, i) => this.paintCell_(i));
    this.cells_[this.active_].tabIndex = 0;
    container.addEventListener('keydown', (event) => this.key_(event));
    // The pad's Clear button empties the pad; the grid follows.
    clearButton?.addEventListener('click', () => this.reset_());
  }

  key_(event) {
    const row = Math.floor(this.active_ / GRID_SIZE);
    const col = this.active_ % GRID_SIZE;
    const moves = {
      ArrowUp: [row - 1, col], ArrowDown: [row + 1, col], ArrowLeft: [row, col - 1], ArrowRight: [row, col + 1],
      Home: [row, 0], End: [row, GRID_SIZE - 1],
    };
    if (moves[event.key]) {
      const [r, c] = moves[event.key];
      if (r >= 0 && c >= 0 && r < GRID_SIZE && c < GRID_SIZE) this.moveTo_(r * GRID_SIZE + c);
    } else if (event.key === ' ' || event.key === 'Enter') {
      this.toggle_();
    } else {
      return;
    }
    event.preventDefault();
  }

  moveTo_(index) {
    this.cells_[this.active_].tabIndex = -1;
    this.active_ = index;
    const cell = this.cells_[index];
    cell.tabIndex = 0;
    cell.focus();
  }

  toggle_() {
    this.inked_[this.active_] = !this.inked_[this.active_];
    this.paintCell_(this.active_);
    this.pad_.setKeyboardStrokes(gridStrokes(this.inked_));
  }

  reset_() {
    if (!this.inked_.some(Boolean)) return;
    this.inked_.fill(false);
    this.cells_.forEach((_, i) => this.paintCell_(i));
  }

  paintCell_(index) {
    const cell = this.cells_[index];
    const inked = this.inked_[index];
    cell.classList.toggle('inked', inked);
    cell.setAttribute('aria-selected', String(inked));
    cell.setAttribute('aria-label', t(inked ? 'keyboard.cellInk' : 'keyboard.cellEmpty',
      { row: Math.floor(index / GRID_SIZE) + 1, column: (index % GRID_SIZE) + 1 }));
  }
}

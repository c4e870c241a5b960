// The lesson view (test hook lesson): one section per topic (data-section = neuron | layers |
// activations | losses | backprop | loop | exercises | questions), each around a live widget
// that asks the engine (engine/lesson.h through the worker) for every number it shows.
import { activationWidget } from './activation-widget.js';
import { el, section } from './dom.js';
import { exercisesWidget } from './exercises.js';
import { layerWidget } from './layer-widget.js';
import { loopWidget } from './loop-widget.js';
import { lossTrainingWidget } from './loss-training-widget.js';
import { lossWidget } from './loss-widget.js';
import { neuronWidget } from './neuron-widget.js';

// options: { engine(op, args) -> promise of the engine's answer, digits: Float32Array (N x 64),
// runComparison(settingsList, onStep), showView(name), hasView(name) }; returns { onProgress(progress) }
export function buildLesson(container, { engine, digits, runComparison, showView, hasView }) {
  const link = (key, target) => {
    const button = el('button', { className: 'secondary small', key, attrs: { type: 'button' } });
    button.addEventListener('click', () => target());
    return button;
  };
  const goTo = (name) => () => document.getElementById(`lesson-${name}`)?.scrollIntoView({ behavior: 'smooth' });
  const backprop = [el('ol', { className: 'lesson-list' }, ['1', '2', '3'].map((n) => el('li', { key: `lesson.backprop.step${n}` })))];
  // The step-through lives in the "inside" view (its own issue); the button shows once that view exists.
  const inside = link('lesson.backprop.open', () => showView('inside'));
  inside.hidden = !hasView('inside');
  backprop.push(inside);
  const live = loopWidget();
  const loop = [live, el('dl', { className: 'lesson-terms' }, ['batch', 'epoch', 'shuffle', 'validation'].flatMap((term) => [
    el('dt', { key: `lesson.loop.${term}` }), el('dd', { key: `lesson.loop.${term}Text` })])),
  link('lesson.loop.watch', () => showView('train'))];
  const questions = [el('dl', { className: 'lesson-terms' }, [
    el('dt', { key: 'lesson.questions.q1' }), el('dd', {}, [el('span', { key: 'lesson.questions.a1' }), ' ', link('lesson.questions.try1', goTo('activations'))]),
    el('dt', { key: 'lesson.questions.q2' }), el('dd', {}, [el('span', { key: 'lesson.questions.a2' }), ' ', link('lesson.questions.try2', goTo('neuron'))]),
    el('dt', { key: 'lesson.questions.q3' }), el('dd', {}, [el('span', { key: 'lesson.questions.a3' }), ' ', link('lesson.questions.try3', goTo('exercises'))]),
  ])];
  container.replaceChildren(
    el('h2', { className: 'lesson-heading', key: 'lesson.title' }),
    section('neuron', [neuronWidget(engine, digits.subarray(0, 64))]),
    section('layers', [layerWidget(engine, digits)]),
    section('activations', [activationWidget(engine)]),
    section('losses', [lossWidget(engine), lossTrainingWidget(engine)]),
    section('backprop', backprop),
    section('loop', loop),
    section('exercises', [exercisesWidget(runComparison)]),
    section('questions', questions),
  );
  return { onProgress: (progress) => live.update(progress) };
}

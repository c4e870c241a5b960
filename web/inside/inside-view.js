// The inside view's own panels (web/inside/): the step-through of one training batch and
// the gradient check, both on the user's run in the trainer worker. The drawing panels
// (activations of a drawing, ...) live in #inside-drawing-panels.
import { GradientCheckPanel } from './gradient-check.js';
import { StepThrough } from './step-through.js';

// trainer: the trainer's WorkerClient; trainPanel: the Train view's panel (settings, run
// state); takeOver(): stops the default ensemble's training (a user's run replaces it).
export function startInsideView({ trainer, trainPanel: currentPanel, takeOver }) {
  const trainPanel = () => {
    const panel = currentPanel();
    if (!panel) throw new Error('The engine is still starting: try again in a moment.');
    return panel;
  };
  const options = () => trainPanel().options();
  const beforeRun = async () => {
    await takeOver();
    await trainPanel().pauseForStep();
  };
  const adopt = (result) => {
    trainPanel().adoptRun(result.run, result.progress);
  };
  const check = new GradientCheckPanel(document.getElementById('grad-check'), {
    client: trainer, options, beforeCheck: takeOver,
  });
  const step = new StepThrough(document.getElementById('step-through'), {
    client: trainer,
    options,
    beforeStep: beforeRun,
    onStepped: (result) => {
      adopt(result);
      check.setLayers(result.summary);
    },
  });
  return { step, check };
}

// Wires the page together: starts the engine worker, restores the last model (or trains
// the default one on a first visit), and routes the worker's events to the three panels.
import { DrawPanel } from './draw-panel.js';
import { forgetLastModel, loadLastModel, saveLastModel } from './model-store.js';
import { ResultsPanel } from './results-panel.js';
import { DEFAULT_SETTINGS, mergeSettings } from './state.js';
import { TrainPanel } from './train-panel.js';
import { WorkerClient } from './worker-client.js';

const status = document.getElementById('engine-status');
const client = new WorkerClient(new URL('./worker.js', import.meta.url), onEvent);
const drawPanel = new DrawPanel(client);
const resultsPanel = new ResultsPanel(client, uploadModel);
let trainPanel = null;

function setStatus(text, kind = '') {
  status.textContent = text;
  status.className = `pill ${kind}`;
}

async function start() {
  const stored = await loadLastModel();
  trainPanel = new TrainPanel(client, mergeSettings(stored?.settings ?? DEFAULT_SETTINGS));
  let count;
  try {
    ({ count } = await client.request('init'));
  } catch (err) {
    setStatus('Engine failed', 'error');
    trainPanel.onFinished(`The engine could not start: ${err.message}`);
    document.getElementById('train-start').disabled = true;
    return;
  }
  setStatus(`Engine ready · ${count} digits`, 'ok');
  await trainPanel.showArchitecture();
  if (stored && (await restore(stored))) return;
  await trainPanel.start();  // first visit: a default model trains by itself
}

async function restore(stored) {
  try {
    const report = await client.request('loadModel', { bytes: stored.bytes, seed: stored.settings?.seed });
    resultsPanel.show(report, 'restored from your last visit');
    drawPanel.setReady(true);
    return true;
  } catch {
    await forgetLastModel();  // stale or corrupt: train afresh
    return false;
  }
}

async function uploadModel(bytes) {
  const report = await client.request('loadModel', { bytes, seed: trainPanel?.settings().seed });
  resultsPanel.show(report, 'uploaded model file');
  drawPanel.setReady(true);
  return report;
}

function onEvent(event) {
  if (event.run !== undefined && !trainPanel?.isCurrent(event)) return;  // a replaced run
  switch (event.type) {
    case 'progress':
      trainPanel.onProgress(event.progress, event.test);
      resultsPanel.showWeights(event.weights);
      break;
    case 'trained':
    case 'diverged':
      if (event.progress) trainPanel.onProgress(event.progress, event.test);
      if (event.evaluation) {
        resultsPanel.show(event, event.type === 'trained' ? 'trained just now' : 'last good epoch before the loss diverged');
        drawPanel.setReady(true);
        saveLastModel({ bytes: event.bytes, settings: trainPanel.runSettings(), testAccuracy: event.evaluation.accuracy, savedAt: Date.now() });
      }
      trainPanel.onFinished(event.type === 'diverged'
        ? `Training stopped: the loss became NaN or infinite (${event.message || 'try a smaller learning rate'}). ${event.kept ? 'The last good model is kept.' : ''}`
        : '');
      break;
    case 'failed':
      trainPanel?.onFinished(`Training failed: ${event.message}`);
      break;
    case 'restarted':
      // The wasm module itself failed and the client replaced the worker: say so, never
      // "ready", until the new worker has started.
      setStatus('Engine failed · restarting', 'error');
      drawPanel.setReady(false);
      trainPanel?.onFinished(`The engine failed (${event.message}) and was restarted: train or upload a model again.`);
      client.request('init').then(({ count }) => setStatus(`Engine restarted · ${count} digits`, 'ok'),
        (err) => setStatus(`Engine failed: ${err.message}`, 'error'));
      break;
    default:
      break;
  }
}

start();

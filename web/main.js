// Wires the page together: starts two engine workers (each with its own wasm module, so
// both cores work), restores what the last visit left (the default ensemble or the user's
// own model) or trains the default ensemble on a first visit, and routes the workers'
// events to the panels. The predictor answers every drawing from the models that are
// ready; the trainer runs the user's training, so a drawing never waits behind it.
import { assetUrl, workerType } from './asset-urls.js';
import { DefaultEnsemble } from './default-ensemble.js';
import { DrawPanel } from './draw-panel.js';
import { forgetLastModel, loadLastModel, saveLastModel } from './model-store.js';
import { ResultsPanel } from './results-panel.js';
import { SETTINGS_SCHEMA } from './settings-schema.js';
import { SharePanel, linkText } from './share-panel.js';
import { DEFAULT_SETTINGS, mergeSettings } from './state.js';
import { TrainPanel } from './train-panel.js';
import { WorkerClient } from './worker-client.js';
import { registerOffline } from './offline.js';
import { KeyboardGrid } from './keyboard-grid.js';

const RECIPE = SETTINGS_SCHEMA.defaultEnsemble;
// Stored ensembles made by another recipe are retrained, not mixed in.
const RECIPE_KEY = JSON.stringify(RECIPE);
const WORKER_URL = assetUrl('worker.js');

const status = document.getElementById('engine-status');
const modelInUse = document.getElementById('model-in-use');
const predictor = new WorkerClient(WORKER_URL, (event) => onEvent(event, predictor), workerType());
const trainer = new WorkerClient(WORKER_URL, (event) => onEvent(event, trainer), workerType());
const drawPanel = new DrawPanel(predictor);
const resultsPanel = new ResultsPanel(predictor, uploadModel);
const sharePanel = new SharePanel(shareModel);
let trainPanel = null;
// What a reload could not restore, said once the page is running (never dropped silently).
const notes = [];
let defaults = null;       // the default ensemble being trained (or restored), until replaced
let storedMembers = [];    // [{index, bytes}] of the default ensemble, as stored

function setStatus(text, kind = '') {
  status.textContent = text;
  status.className = `pill ${kind}`;
}

async function start() {
  // Both engines start loading at once, while the store is read (that can take a few
  // hundred ms on a first visit, when IndexedDB makes the database).
  const engines = Promise.all([predictor.request('init'), trainer.request('init')]);
  engines.catch(() => {});  // reported below, once the panels exist
  const stored = await loadLastModel();
  const single = stored && stored.kind !== 'ensemble' ? stored : null;
  const replaced = [];
  trainPanel = new TrainPanel(trainer, mergeSettings(single?.settings ?? DEFAULT_SETTINGS, replaced), takeOver);
  if (replaced.length) {
    notes.push(`Your saved settings had invalid values for ${replaced.join(', ')}; the defaults are used for them.`);
  }
  let count;
  try {
    [{ count }] = await engines;
  } catch (err) {
    setStatus('Engine failed', 'error');
    trainPanel.onFinished(`The engine could not start: ${err.message}`);
    document.getElementById('train-start').disabled = true;
    return;
  }
  setStatus(`Engine ready · ${count} digits`, 'ok');
  trainPanel.showArchitecture();
  if (await openLink()) return showNotes();  // a bad link changes nothing: the rest goes on
  if (single && (await restoreModel(single))) return showNotes();
  const members = stored?.kind === 'ensemble' && stored.recipe === RECIPE_KEY ? stored.members : [];
  await startDefaults(members);
  showNotes();
}

function showNotes() {
  if (notes.length) trainPanel.showNote(notes.join(' '));
}

// ---- the default ensemble ---------------------------------------------------------------

// members: [{index, bytes}] restored from storage; the rest train in the background.
async function startDefaults(members) {
  defaults = new DefaultEnsemble({ recipe: RECIPE, predictor, trainer, onMember: addMember, onChange: showDefaults });
  resultsPanel.showWeights(null);  // an ensemble has no one first layer to show
  storedMembers = [];
  await predictor.request('ensembleReset', { variants: RECIPE.variants, seed: DEFAULT_SETTINGS.seed });
  const restored = [];
  for (const { index, bytes } of members) {
    try {
      await joinEnsemble(index, bytes);
      restored.push(index);
    } catch (err) {
      notes.push(`A saved model of the default ensemble could not be loaded (${err.message}); it trains again.`);
    }
  }
  defaults.start(restored);
  if (restored.length) resultsOrigin(restored.length === RECIPE.members.length ? 'restored from your last visit' : null);
}

async function addMember(index, bytes) {
  await joinEnsemble(index, bytes);
  resultsOrigin(null);
}

// Sends a member to the predictor's ensemble and stores the ensemble so far.
async function joinEnsemble(index, bytes) {
  const mine = defaults;
  const copy = bytes.slice();  // the original moves to the worker
  // The worker answers requests in order, so members join in the order they are sent.
  const report = await predictor.request('ensembleAdd', { bytes }, [bytes.buffer]);
  if (mine !== defaults) return;  // replaced meanwhile
  storedMembers.push({ index, bytes: copy });
  lastEnsembleReport = report;
  saveLastModel({ kind: 'ensemble', recipe: RECIPE_KEY, members: storedMembers, savedAt: Date.now() });
  showDefaults();
}

let lastEnsembleReport = null;

function resultsOrigin(origin) {
  if (!lastEnsembleReport || !defaults) return;
  const { size } = lastEnsembleReport;
  resultsPanel.show(lastEnsembleReport, origin ?? `default ensemble, ${size} of ${RECIPE.members.length} models`);
}

// The status line and the test hooks: how many models answer, what still trains.
function showDefaults() {
  if (!defaults) return;
  const { total, training, failed } = defaults.status();
  const models = storedMembers.length;
  const final = defaults.complete;
  drawPanel.setModels(models, final);
  const parts = [models === total ? `default ensemble of ${total}` : `default ensemble, ${models} of ${total} models ready`];
  for (const job of training) {
    const step = job.preparing ? 'making its training digits' : `epoch ${job.epoch}/${job.epochs}`;
    parts.push(`model ${job.index + 1} of ${total} training (${job.preset}, ${step})`);
  }
  if (failed.length) parts.push(`failed: ${failed.join('; ')}`);
  modelInUse.textContent = `Predicting: ${parts.join(' · ')}`;
}

// A user's run or an upload replaces the default ensemble: stop training its members.
async function takeOver() {
  if (!defaults) return;
  defaults.stop();
  await Promise.all([predictor.request('reset'), trainer.request('reset')]);
}

// ---- a single model (the user's own, or uploaded) ---------------------------------------

async function restoreModel(stored) {
  try {
    const report = await predictor.request('loadModel', { bytes: stored.bytes, seed: stored.settings?.seed });
    useSingle(report, 'restored from your last visit', stored.settings);
    return true;
  } catch (err) {
    await forgetLastModel();  // stale or corrupt: train afresh, and say so
    notes.push(`Your saved model could not be loaded (${err.message}), so it was removed; the default models are training instead.`);
    return false;
  }
}

async function uploadModel(bytes) {
  const report = await predictor.request('loadModel', { bytes, seed: trainPanel?.settings().seed });
  await takeOver();
  useSingle(report, 'uploaded model file', null);
  return report;
}

function useSingle(report, origin, settings, name = null) {
  defaults = null;
  singleSettings = settings;
  resultsPanel.show(report, origin);
  drawPanel.setModels(1, true);
  name ??= settings ? `your model: ${settings.preset === 'custom' ? 'custom layers' : settings.preset}, ${settings.epochs} epochs`
    : 'an uploaded model';
  modelInUse.textContent = `Predicting: ${name} (${report.summary.totalParams.toLocaleString('en')} parameters)`;
}

// The user's run finished in the trainer: its model file becomes the predictor's model.
async function useTrained(event) {
  const settings = trainPanel.runSettings();
  const bytes = event.bytes;
  const copy = bytes.slice();
  try {
    await predictor.request('loadModel', { bytes, seed: settings.seed }, [bytes.buffer]);
  } catch (err) {
    trainPanel.onFinished(`The trained model could not be used: ${err.message}`);
    return false;
  }
  useSingle(event, event.type === 'trained' ? 'trained just now' : 'last good epoch before the loss diverged', settings);
  saveLastModel({ bytes: copy, settings, testAccuracy: event.evaluation.accuracy, savedAt: Date.now() });
  return true;
}

// ---- model links (share-panel.js) -------------------------------------------------------

let singleSettings = null;  // the settings of the single model in use, when known

// The model in use as a link; the predictor switches to the link's 8-bit model (so this
// page predicts what a receiver will). The stored model is left as it was.
async function shareModel() {
  const link = await predictor.request('shareModel', { seed: trainPanel?.settings().seed });
  useSingle(link.report, 'shared as a link (8-bit weights)', singleSettings);
  return link;
}

// A "#model=" link in the address: its model is used for this visit (not stored). A link
// that cannot be opened is reported and changes nothing. -> whether a link's model is in use.
async function openLink() {
  const text = linkText(window.location.hash);
  if (text === null) return false;
  try {
    const link = await predictor.request('openModelLink', { text, seed: trainPanel?.settings().seed });
    await takeOver();
    useSingle(link.report, 'opened from a model link', null, 'a shared model');
    sharePanel.showSource(link);
    return true;
  } catch (err) {
    sharePanel.showLinkError(err.message);
    return false;
  }
}

window.addEventListener('hashchange', () => {
  if (trainPanel && linkText(window.location.hash) !== null) openLink();
});

// ---- events ---------------------------------------------------------------------------

function onEvent(event, client) {
  if (event.type === 'restarted') return restarted(event, client);
  if (defaults?.onEvent(event, client)) return;
  if (client !== trainer) return;  // the predictor runs nothing else
  if (event.run !== undefined && !trainPanel?.isCurrent(event)) return;  // a replaced run
  switch (event.type) {
    case 'progress':
      trainPanel.onProgress(event.progress, event.test);
      if (event.weights) resultsPanel.showWeights(event.weights);  // sent a few times a second
      break;
    case 'trained':
    case 'diverged':
      if (event.progress) trainPanel.onProgress(event.progress, event.test);
      trainPanel.onFinished(event.type === 'diverged'
        ? `Training stopped: the loss became NaN or infinite (${event.message || 'try a smaller learning rate'}). ${event.kept ? 'The last good model is kept.' : ''}`
        : '');
      if (event.evaluation) useTrained(event);
      break;
    case 'failed':
      trainPanel?.onFinished(`Training failed: ${event.message}`);
      break;
    default:
      break;
  }
}

// The wasm module of one worker failed and its client replaced the worker: say so, never
// "ready", until the new worker has started; the predictor then gets back what was stored.
function restarted(event, client) {
  setStatus('Engine failed · restarting', 'error');
  if (client === predictor) drawPanel.setModels(0, false);
  trainPanel?.onFinished(`The engine failed (${event.message}) and was restarted: train or upload a model again.`);
  defaults?.stop();
  defaults = null;
  client.request('init').then(async ({ count }) => {
    setStatus(`Engine restarted · ${count} digits`, 'ok');
    if (client !== predictor) return;
    const stored = await loadLastModel();
    if (stored?.kind === 'ensemble') await startDefaults(stored.recipe === RECIPE_KEY ? stored.members : []);
    else if (stored) await restoreModel(stored);
  }, (err) => setStatus(`Engine failed: ${err.message}`, 'error'));
}

start();
registerOffline();
new KeyboardGrid(document.getElementById('keyboard-grid'), drawPanel.pad, document.getElementById('clear-drawing'));

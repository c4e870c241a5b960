// Wires the page together: starts two engine workers (each with its own wasm module, so
// both cores work), restores what the last visit left (the default ensemble or the user's
// own model) or trains the default ensemble on a first visit, and routes the workers'
// events to the panels. The predictor answers every drawing from the models that are
// ready; the trainer runs the user's training, so a drawing never waits behind it.
import { assetUrl, workerType } from './asset-urls.js';
import { DefaultEnsemble } from './default-ensemble.js';
import { divergenceMessage } from './engine-text.js';
import { DrawPanel } from './draw-panel.js';
import { InsidePanel } from './inside/inside-panel.js';
import { forgetLastModel, loadLastModel, mayHaveLastModel, saveLastModel } from './model-store.js';
import { ResultsPanel } from './results-panel.js';
import { SETTINGS_SCHEMA } from './settings-schema.js';
import { SharePanel, linkText } from './share-panel.js';
import { DEFAULT_SETTINGS, mergeSettings } from './state.js';
import { formatPercent } from './format.js';
import { TeachPanel } from './teach-panel.js';
import { TrainPanel } from './train-panel.js';
import { startInsideView } from './inside/inside-view.js';
import { ViewSwitcher } from './views/view-switcher.js';
import { WorkerClient } from './worker-client.js';
import { registerOffline } from './offline.js';
import { KeyboardGrid } from './keyboard-grid.js';
import { currentLanguage, initialLanguage, LANGUAGES, msg, setLanguage, setText } from './i18n.js';
import { connectLanguageSelect } from './lang-select.js';
import { RunStore } from './run-store.js';
import { RunsPanel } from './runs-panel.js';
import { parseQuery, stateToQuery } from './url-state.js';
import { buildLesson } from './lesson/lesson-view.js';

// Language, view and settings from the URL first: every panel below writes its text in the
// page's language from the start.
// The header's Train / Inside / Lesson switch (the draw card shows in train and inside); a
// view= in the URL wins over the #hash the switcher reads itself.
let urlReady = false;
const views = new ViewSwitcher(document, (name) => {
  if (!urlReady) return;
  writeUrl();
  if (name === 'lesson') showLesson();
});
const fromUrl = parseQuery(location.search, { languages: LANGUAGES, views: views.names() });
setLanguage(initialLanguage({ requested: fromUrl.lang }), { remember: false });
connectLanguageSelect(document.getElementById('lang-select'), () => writeUrl());
if (fromUrl.view) views.show(fromUrl.view, false);  // the query keeps it; a #model= link stays
urlReady = true;

const RECIPE = SETTINGS_SCHEMA.defaultEnsemble;
// Stored ensembles made by another recipe are retrained, not mixed in.
const RECIPE_KEY = JSON.stringify(RECIPE);
const WORKER_URL = assetUrl('worker.js');

const status = document.getElementById('engine-status');
const modelInUse = document.getElementById('model-in-use');
const predictor = new WorkerClient(WORKER_URL, (event) => onEvent(event, predictor), workerType());
const trainer = new WorkerClient(WORKER_URL, (event) => onEvent(event, trainer), workerType());
const drawPanel = new DrawPanel(predictor);
// A test digit chosen in the confusion matrix opens in the inside view (its panels listen too).
document.addEventListener('inside:sample', () => views.show('inside', true));
const resultsPanel = new ResultsPanel(predictor, uploadModel);
const sharePanel = new SharePanel(shareModel);
// The inside view's panels for the drawing (or a chosen test digit), read by the predictor.
const insideHost = document.getElementById('inside-drawing-panels');
const insidePanel = insideHost ? new InsidePanel(predictor, insideHost) : null;
let trainPanel = null;
// What a reload could not restore, said once the page is running (never dropped silently).
const notes = [];
let defaults = null;       // the default ensemble being trained (or restored), until replaced
let storedMembers = [];    // [{index, bytes}] of the default ensemble, as stored
let storeRead = null;      // the first read of the stored model (start())
let single = null;         // {bytes, settings, seed} of the single model in use (own or uploaded)
const teachPanel = new TeachPanel({ drawPanel, trainer, models: modelsInUse, apply: useModels });
// Back from a single model (a run that went wrong, an upload) to the first-visit default.
const useDefaultsButton = document.getElementById('use-defaults');
useDefaultsButton.addEventListener('click', () => useDefaults().catch((err) => {
  useDefaultsButton.hidden = false;
  trainPanel?.showNote(msg('train.failed', { message: err.message }));
}));
// Counts the changes of what predicts (a takeover, a single model, the defaults again): an
// async change that finds the count moved on was overtaken and stops.
let generation = 0;

function setStatus(key, params = {}, kind = '') {
  setText(status, key, params);
  status.className = `pill ${kind}`;
}

async function start() {
  // Both engines have been loading since engine-start.js ran; the store is read meanwhile
  // (that can take a few hundred ms on a first visit, when IndexedDB makes the database).
  const predictorReady = predictor.request('init');
  const trainerReady = trainer.request('init');
  trainerReady.catch(() => {});  // reported below, once the panels exist
  storeRead = loadLastModel();
  // A first visit (no link, nothing stored) starts its first member at once instead of after
  // the store's answer; a model stored after all (by a version without the mark) takes over.
  const early = linkText(window.location.hash) === null && !mayHaveLastModel()
    ? startDefaults([]).then(() => true, () => false) : null;
  const stored = await storeRead;
  if (early && stored) {
    await early;
    await takeOver();
    defaults = null;
  }
  const single = stored && stored.kind !== 'ensemble' ? stored : null;
  const replaced = [];
  // Stored settings are checked (and a bad value reported) even when the link's settings win.
  const storedSettings = mergeSettings(single?.settings ?? DEFAULT_SETTINGS, replaced);
  trainPanel = new TrainPanel(trainer, fromUrl.settings ?? storedSettings, takeOver);
  if (fromUrl.rejected.length) notes.push(msg('note.badUrl', { fields: fromUrl.rejected.join(', ') }));
  watchSettings();
  runsPanel.load();
  if (replaced.length) {
    notes.push(msg('note.badSettings', { fields: replaced.join(', ') }));
  }
  let count;
  try {
    ({ count } = await predictorReady);
  } catch (err) {
    return engineFailed(err);
  }
  // The first member trains on the predictor: the page goes on without waiting for the
  // trainer (its first job waits for its engine by itself).
  trainerReady.catch(engineFailed);
  setStatus('status.ready', { count }, 'ok');
  trainPanel.showArchitecture();
  if (views.view === 'lesson') showLesson();
  if (await openLink()) return showNotes();  // a bad link changes nothing: the rest goes on
  if (single && (await restoreModel(single))) return showNotes();
  const members = stored?.kind === 'ensemble' && stored.recipe === RECIPE_KEY ? stored.members : [];
  if (!early || stored || !(await early)) await startDefaults(members);
  showNotes();
}

function engineFailed(err) {
  setStatus('status.failed', {}, 'error');
  trainPanel.onFinished(msg('train.engineStart', { message: err.message }));
  document.getElementById('train-start').disabled = true;
}

function showNotes() {
  if (notes.length) trainPanel.showNote(msg('text.joined', { items: notes }));
}

// ---- the default ensemble ---------------------------------------------------------------

// members: [{index, bytes}] restored from storage; the rest train in the background.
async function startDefaults(members) {
  single = null;
  useDefaultsButton.hidden = true;
  resultsPanel.setEnsemble(RECIPE.members.length);
  defaults = new DefaultEnsemble({
    recipe: RECIPE, predictor, trainer, onMember: addMember, onChange: showDefaults,
    whenIdle: (fn) => (window.requestIdleCallback ? requestIdleCallback(fn, { timeout: 500 }) : setTimeout(fn, 0)),
  });
  resultsPanel.showWeights(null);  // an ensemble has no one first layer to show
  storedMembers = [];
  // Not waited for before a first member is asked to train: the worker answers in order.
  const reset = predictor.request('ensembleReset', { variants: RECIPE.variants, seed: DEFAULT_SETTINGS.seed });
  reset.catch(() => {});  // thrown below
  if (members.length) await reset;
  const restored = [];
  for (const { index, bytes } of members) {
    try {
      await joinEnsemble(index, bytes);
      restored.push(index);
    } catch (err) {
      notes.push(msg('note.badMember', { message: err.message }));
    }
  }
  defaults.start(restored);
  await reset;
  if (restored.length) resultsOrigin(defaults.complete ? msg('origin.restored') : null);
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
  await predictor.request('ensembleAdd', { bytes }, [bytes.buffer]);
  if (mine !== defaults) return;  // replaced meanwhile
  storedMembers.push({ index, bytes: copy });
  await retireStandIns(mine);
  if (mine !== defaults) return;
  showDefaults();
  teachPanel.modelChanged();
  // A first visit's early start can get here before the store has been read: what is
  // stored is read (and takes over) before it could be overwritten.
  storeRead.then(() => {
    if (mine === defaults) saveLastModel({ kind: 'ensemble', recipe: RECIPE_KEY, members: storedMembers, savedAt: Date.now() });
  });
  // Scored once it predicts: the first guess does not wait for the test split's variants.
  const report = await predictor.request('ensembleReport');
  if (mine !== defaults) return;
  lastEnsembleReport = report;
}

let lastEnsembleReport = null;

// Once every member that stays has joined, the stand-ins (engine/settings.h) leave the
// predictor's ensemble and the stored one. Its members are in storedMembers' order.
async function retireStandIns(mine) {
  if (storedMembers.filter(({ index }) => !mine.isStandIn(index)).length < mine.staying) return;
  for (let at = storedMembers.length - 1; at >= 0; --at) {
    if (!mine.isStandIn(storedMembers[at].index)) continue;
    await predictor.request('ensembleRemove', { index: at });
    if (mine !== defaults) return;
    storedMembers.splice(at, 1);
  }
}

function resultsOrigin(origin) {
  if (!lastEnsembleReport || !defaults) return;
  const { size } = lastEnsembleReport;
  resultsPanel.show(lastEnsembleReport, origin ?? msg('origin.ensemble', { size, total: wholeSize() }));
  resultsPanel.setEnsemble(size);
}

// The status line and the test hooks: how many models answer, what still trains.
function showDefaults() {
  if (!defaults) return;
  const { total, training, failed, stopped } = defaults.status();
  const models = storedMembers.length;
  const final = defaults.complete;
  drawPanel.setModels(models, final);
  const parts = [models === wholeSize() ? msg('inUse.ensembleAll', { total: models }) : msg('inUse.ensembleSome', { models, total })];
  for (const job of training) {
    const step = job.preparing ? msg('inUse.preparing') : msg('inUse.epoch', { epoch: job.epoch, epochs: job.epochs });
    parts.push(msg('inUse.training', { n: job.index + 1, total, preset: job.preset, step }));
  }
  if (failed.length) parts.push(msg('inUse.failed', { list: failed.join('; ') }));
  if (stopped && !final) parts.push(msg('inUse.stopped'));
  // A run stopped the ensemble part-way: the way back is offered.
  useDefaultsButton.hidden = !(stopped && !final);
  setText(modelInUse, 'inUse.predicting', { parts });
}

// The default ensemble's size when whole: every member that stays has joined and the
// stand-ins have left; until then, every member of the recipe.
function wholeSize() {
  const standIns = storedMembers.filter(({ index }) => defaults.isStandIn(index)).length;
  return standIns === 0 && storedMembers.length === defaults.staying ? defaults.staying : RECIPE.members.length;
}

// A user's run or an upload replaces the default ensemble: stop training its members.
async function takeOver() {
  ++generation;
  if (!defaults) return;
  defaults.stop();
  await resetWorkers();
}

// Both workers drop the run they were training (the predictor keeps what it predicts with).
function resetWorkers() {
  return Promise.all([predictor.request('reset'), trainer.request('reset')]);
}

// Step and the gradient check work on a user's run: the first one stops the default
// ensemble's training, as Train does; later ones leave the stepped run alone.
async function takeOverOnce() {
  if (defaults && !defaults.stopped) await takeOver();
}

startInsideView({ trainer, trainPanel: () => trainPanel, takeOver: takeOverOnce });

// ---- a single model (the user's own, or uploaded) ---------------------------------------

async function restoreModel(stored) {
  try {
    const report = await predictor.request('loadModel', { bytes: stored.bytes, seed: stored.settings?.seed });
    single = { bytes: stored.bytes, settings: stored.settings, seed: stored.settings?.seed };
    useSingle(report, msg('origin.restored'), stored.settings);
    return true;
  } catch (err) {
    await forgetLastModel();  // stale or corrupt: train afresh, and say so
    notes.push(msg('note.badModel', { message: err.message }));
    return false;
  }
}

async function uploadModel(bytes) {
  const report = await predictor.request('loadModel', { bytes, seed: trainPanel?.settings().seed });
  await takeOver();
  single = { bytes, settings: null, seed: trainPanel?.settings().seed };
  useSingle(report, msg('origin.uploaded'), null);
  return report;
}

function useSingle(report, origin, settings, name = null) {
  ++generation;
  defaults?.stop();
  defaults = null;
  useDefaultsButton.hidden = false;
  singleSettings = settings;
  resultsPanel.show(report, origin);
  resultsPanel.setEnsemble(0);
  drawPanel.setModels(1, true);
  const preset = settings?.preset === 'custom' ? msg('inUse.customLayers') : settings?.preset;
  name ??= settings ? msg('inUse.yourModel', { preset, epochs: settings.epochs }) : msg('inUse.uploaded');
  setText(modelInUse, 'inUse.single', { name, params: report.summary.totalParams });
  teachPanel.modelChanged();
}

// The default ensemble predicts again, in place of a single model or a run that stopped it:
// its members of this visit are put back (the store kept the single model; they are stored
// again as they join), the missing ones train. A user's run still going is ended.
async function useDefaults() {
  const mine = ++generation;
  useDefaultsButton.hidden = true;
  trainPanel?.showNote('');
  await trainPanel?.stopRun();
  if (mine !== generation) return;
  await resetWorkers();
  if (mine !== generation) return;
  if (linkText(window.location.hash) !== null) history.replaceState(null, '', `${location.pathname}${location.search}`);
  defaults?.stop();
  await startDefaults(storedMembers.slice());
}

// The user's run finished in the trainer: its model file becomes the predictor's model.
async function useTrained(event) {
  const settings = trainPanel.runSettings();
  const bytes = event.bytes;
  const copy = bytes.slice();
  try {
    await predictor.request('loadModel', { bytes, seed: settings.seed }, [bytes.buffer]);
  } catch (err) {
    trainPanel.onFinished(msg('train.unusable', { message: err.message }));
    return false;
  }
  single = { bytes: copy, settings, seed: settings.seed };
  useSingle(event, msg(event.type === 'trained' ? 'origin.trained' : 'origin.lastGood'), settings);
  saveLastModel({ bytes: copy, settings, testAccuracy: event.evaluation.accuracy, savedAt: Date.now() });
  keepRun(event, settings, copy);
  // Ten classes: guessing reads 10%. A run that ends near it learned nothing worth keeping.
  if (event.type === 'trained' && event.evaluation.accuracy < LEARNED_LITTLE) {
    trainPanel.showNote(msg('train.learnedLittle', { accuracy: formatPercent(event.evaluation.accuracy) }));
  }
  return true;
}

// ---- model links (share-panel.js) -------------------------------------------------------

let singleSettings = null;  // the settings of the single model in use, when known
const LEARNED_LITTLE = 0.3;  // test accuracy under which a finished run is said to have learned next to nothing

// The model in use as a link; the predictor switches to the link's 8-bit model (so this
// page predicts what a receiver will). The stored model is left as it was.
async function shareModel() {
  const link = await predictor.request('shareModel', { seed: trainPanel?.settings().seed });
  useSingle(link.report, msg('origin.shared'), singleSettings);
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
    useSingle(link.report, msg('origin.link'), null, msg('inUse.shared'));
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
      lesson?.onProgress(event.progress);
      if (event.weights) resultsPanel.showWeights(event.weights);  // sent a few times a second
      if (event.errors) resultsPanel.showLive(event.errors, event.progress.epochs);  // once per epoch
      break;
    case 'trained':
    case 'diverged':
      if (event.progress) trainPanel.onProgress(event.progress, event.test);
      trainPanel.showDivergence(event.type === 'diverged' ? event.progress : null);
      trainPanel.onFinished(event.type !== 'diverged' ? ''
        : event.progress?.divergedCause ? divergenceMessage(event.progress, Math.fround(trainPanel.runSettings().learningRate), event.kept)
          : msg(`train.divergedDefault${event.kept ? 'Kept' : ''}`));
      if (event.evaluation) useTrained(event).then(() => runEnded(event));
      else runEnded(event);
      break;
    case 'failed':
      trainPanel?.onFinished(msg('train.failed', { message: event.message }));
      runEnded(event);
      break;
    default:
      break;
  }
}

// The wasm module of one worker failed and its client replaced the worker: say so, never
// "ready", until the new worker has started; the predictor then gets back what was stored.
function restarted(event, client) {
  setStatus('status.restarting', {}, 'error');
  if (client === predictor) drawPanel.setModels(0, false);
  trainPanel?.onFinished(msg('train.engineRestarted', { message: event.message }));
  defaults?.stop();
  defaults = null;
  client.request('init').then(async ({ count }) => {
    setStatus('status.restarted', { count }, 'ok');
    if (client !== predictor) return;
    const stored = await loadLastModel();
    if (stored?.kind === 'ensemble') await startDefaults(stored.recipe === RECIPE_KEY ? stored.members : []);
    else if (stored) await restoreModel(stored);
  }, (err) => setStatus('status.failedWith', { message: err.message }, 'error'));
}

// ---- compare runs ------------------------------------------------------------------------

const runsPanel = new RunsPanel(new RunStore(), restoreRun);

function keepRun(event, settings, bytes) {
  const { progress, test } = event;
  runsPanel.add({
    settings, history: progress?.history ?? [], testAccuracies: test?.accuracies ?? [],
    testAccuracy: event.evaluation.accuracy, trainSeconds: progress?.trainSeconds ?? NaN, createdAt: Date.now(),
    bytes: bytes.slice(),
  });
}

// A kept run's model becomes the current one again (and its settings the form's).
async function restoreRun(run) {
  const bytes = run.bytes.slice();
  const report = await predictor.request('loadModel', { bytes, seed: run.settings.seed }, [bytes.buffer]);
  await takeOver();
  // The form and the URL first: the origin line, shown last, says the restore is complete.
  await trainPanel.setSettings(run.settings);
  writeUrl();
  useSingle(report, msg('origin.run', { n: String(run.id) }), run.settings);
  saveLastModel({ bytes: run.bytes.slice(), settings: run.settings, testAccuracy: run.testAccuracy, savedAt: Date.now() });
}

// ---- the URL: settings, language, view ------------------------------------------------------

function writeUrl() {
  const settings = trainPanel ? trainPanel.formSettings() : (fromUrl.settings ?? DEFAULT_SETTINGS);
  const query = stateToQuery(settings, { lang: currentLanguage(), view: views.view });
  history.replaceState(null, '', `${location.pathname}?${query}${location.hash}`);
}

// Any edit of the form (the layer editor is inside it) updates the URL, after the panel
// has taken the edit in.
function watchSettings() {
  const form = document.getElementById('settings');
  let pending = false;
  const later = () => {
    if (pending) return;
    pending = true;
    setTimeout(() => { pending = false; writeUrl(); }, 0);
  };
  for (const type of ['input', 'change', 'click']) form.addEventListener(type, later);
  writeUrl();
}

// ---- the lesson view ------------------------------------------------------------------------

let lessonShown = null;
let lesson = null;   // the built lesson (it follows the user's runs live)

// Built the first time the lesson is shown: its widgets ask the predictor's engine.
function showLesson() {
  lessonShown ??= (async () => {
    const engine = (op, args, extra = {}) => predictor.request('lesson', { op, args, ...extra });
    const { features } = await predictor.request('lesson', { op: 'digits', count: 16 });
    lesson = buildLesson(document.getElementById('lesson'), {
      engine, digits: features, runComparison,
      showView: (name) => views.show(name, true),
      hasView: (name) => views.names().includes(name),
    });
  })();
  return lessonShown;
}

// The user's runs end here (trained and kept, diverged or failed): a comparison waits for it.
let runWaiters = [];
function runEnded(event) {
  const waiters = runWaiters;
  runWaiters = [];
  for (const resolve of waiters) resolve(event);
}

// Trains each settings object in turn (the lesson's exercises); each run is kept in the
// runs table, so their curves overlay there.
async function runComparison(list, onStep = () => {}) {
  for (let i = 0; i < list.length; i++) {
    onStep(i + 1, list.length);
    await trainPanel.setSettings(mergeSettings(list[i]));
    const ended = new Promise((resolve) => runWaiters.push(resolve));
    if (!(await trainPanel.start())) throw new Error(document.getElementById('train-message').textContent);
    const event = await ended;
    if (event.type === 'failed') throw new Error(event.message);
  }
  writeUrl();
}

// ---- teaching it your handwriting (teach-panel.js) -----------------------------------

// The model files predicting now, for fine-tuning and scoring: {kind, files, variants,
// seed, final} (final: no member is still training), or {reason} when there are none.
function modelsInUse() {
  if (defaults && storedMembers.length > 0) {
    return { kind: 'ensemble', files: storedMembers.map((m) => m.bytes), indices: storedMembers.map((m) => m.index),
      variants: RECIPE.variants, seed: DEFAULT_SETTINGS.seed, final: defaults.complete };
  }
  if (single) return { kind: 'single', files: [single.bytes], variants: 'identity', seed: single.seed, final: true };
  return { reason: msg('teach.noTrainedModel') };
}

// Puts model files in use the way they first came: an ensemble's members join a fresh
// ensemble in the same order (so its predictions are exactly those of the same files),
// a single model is loaded; either is stored for the next visit.
async function useModels(current, files, taught = true) {
  if (current.kind === 'ensemble') {
    if (!defaults) throw new Error('the default ensemble is no longer in use');
    await predictor.request('ensembleReset', { variants: RECIPE.variants, seed: DEFAULT_SETTINGS.seed });
    storedMembers = [];
    for (let i = 0; i < files.length; i++) await joinEnsemble(current.indices[i], files[i].slice());
    resultsOrigin(taught ? msg('origin.ensembleTaught', { size: files.length }) : null);
    return;
  }
  if (!single) throw new Error('the model it learned from is no longer in use');
  const bytes = files[0].slice();
  const report = await predictor.request('loadModel', { bytes: bytes.slice(), seed: current.seed });
  const { settings } = single ?? {};
  single = { bytes, settings, seed: current.seed };
  useSingle(report, msg(taught ? 'origin.taught' : 'origin.untaught'), settings);
  if (settings) saveLastModel({ bytes, settings, testAccuracy: report.evaluation.accuracy, savedAt: Date.now() });
}

start();
registerOffline();
new KeyboardGrid(document.getElementById('keyboard-grid'), drawPanel.pad, document.getElementById('clear-drawing'));

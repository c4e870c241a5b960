// The training side of the page: the settings form and layer editor (checked as you edit),
// start / pause / resume / reset, the progress bar and the loss and accuracy curves.
// It turns settings into the worker's TrainOptions; the worker does the training.
import { msg, setMessage, setText, t } from './i18n.js';
import { engineNumber } from './engine-text.js';
import { parseStack, stackToText } from './layer-stack.js';
import { NUMBER_FIELDS, trainOptions, validateSettings } from './state.js';
import { LayerEditor } from './views/layer-editor.js';
import { LineChart } from './views/line-chart.js';
import { ChartTable } from './chart-table.js';
import { ProgressView } from './views/progress-view.js';
import { SettingsForm } from './views/settings-form.js';

const TRAIN_COLOR = '#0072b2';  // Okabe-Ito blue, orange, bluish green: told apart with any colour vision
const VALIDATION_COLOR = '#d55e00';
const TEST_COLOR = '#009e73';

// Engine messages name the field they are about; these words find it on the form.
const MESSAGE_FIELDS = [
  [/schedule/i, 'lrSchedule'], [/learning.?rate/i, 'learningRate'], [/batch/i, 'batchSize'], [/epoch/i, 'epochs'], [/\bl1\b/i, 'l1'],
  [/\bl2\b/i, 'l2'], [/dropout|rate/i, 'dropout'], [/cop(y|ies)/i, 'augmentCopies'], [/seed/i, 'seed'],
  [/layer|shape|architecture|input/i, 'architecture'],
];

export class TrainPanel {
  // settings: the starting settings (state.js); beforeRun(): awaited before a run starts
  // (the page stops the default ensemble's training there).
  constructor(client, settings, beforeRun = async () => {}) {
    this.client_ = client;
    this.beforeRun_ = beforeRun;
    this.settings_ = { ...settings };
    this.state_ = 'idle';  // 'idle' | 'training' | 'paused'
    this.form_ = new SettingsForm(document.getElementById('settings'), (name) => this.edited_(name));
    this.editor_ = new LayerEditor(document.getElementById('layer-editor'), (stack) => this.stackEdited_(stack));
    this.startButton_ = document.getElementById('train-start');
    this.pauseButton_ = document.getElementById('train-pause');
    this.resetButton_ = document.getElementById('train-reset');
    this.message_ = document.getElementById('train-message');
    this.layersSummary_ = document.getElementById('layers-summary');
    this.progress_ = new ProgressView(document.getElementById('train-progress'), document.getElementById('progress-text'));
    const series = [{ name: 'train', color: TRAIN_COLOR }, { name: 'validation', color: VALIDATION_COLOR }];
    this.lossChart_ = new LineChart(document.getElementById('loss-chart'), { series });
    this.accuracyChart_ = new LineChart(document.getElementById('accuracy-chart'), {
      series: [...series, { name: 'test', color: TEST_COLOR, dashed: true }], yMin: 0, yMax: 1, format: (y) => `${Math.round(y * 100)}%`,
    });
    this.chartTable_ = new ChartTable(document.getElementById('chart-table'));
    this.startButton_.addEventListener('click', () => this.start());
    this.pauseButton_.addEventListener('click', () => this.togglePause_());
    this.resetButton_.addEventListener('click', () => this.reset_());
    this.form_.write(this.settings_);
    this.checkToken_ = 0;
  }

  settings() {
    return { ...this.settings_ };
  }

  // The settings as the form shows them now, when they are valid (else the last valid ones):
  // what the page's URL carries.
  formSettings() {
    const settings = { ...this.form_.read(this.settings_), architecture: this.settings_.architecture };
    if (Object.keys(validateSettings(settings)).length) return this.settings();
    return { ...settings, ...numbers(settings) };
  }

  // Puts settings (a restored run's) into the form and the layer editor.
  setSettings(settings) {
    this.settings_ = { ...settings };
    this.stack_ = null;
    this.form_.write(this.settings_);
    return this.showArchitecture();
  }

  // Loads the architecture of the current settings into the editor.
  async showArchitecture() {
    await this.checkArchitecture_(this.settings_.preset === 'custom' ? { text: this.settings_.architecture } : null);
  }

  // Validates the form and starts a run; returns false (with messages shown) if it cannot.
  async start() {
    const { settings, errors } = this.checkForm_();
    if (Object.keys(errors).length) {
      this.showMessage_(msg('train.fixFirst'));
      return false;
    }
    this.settings_ = { ...settings, ...numbers(settings) };
    this.showMessage_('');
    let architecture;
    try {
      architecture = (await this.client_.request('architecture', this.architectureRequest_())).text;
      const options = trainOptions(this.settings_, architecture);
      await this.beforeRun_();
      const { run, summary } = await this.client_.request('train', { options });
      this.run_ = run;
      this.runSettings_ = { ...this.settings_ };
      this.setState_('training');
      this.lossChart_.reset(options.epochs);
      this.accuracyChart_.reset(options.epochs);
      this.progress_.reset(options.epochs, msg('train.training', { params: summary.totalParams }));
      this.lastProgress_ = null;
      return true;
    } catch (err) {
      this.showEngineError_(err.message);
      return false;
    }
  }

  // The settings of the run that just finished (what the stored model was made with).
  runSettings() {
    return { ...this.runSettings_ };
  }

  // Whether an event belongs to the run on screen (not one replaced by a restart or reset).
  isCurrent(event) {
    return event.run === this.run_ && this.state_ !== 'idle';
  }

  // test: { target, accuracies (one per finished epoch), reached: {seconds, epoch} | null }.
  onProgress(progress, test = null) {
    if (this.state_ === 'idle') return;
    this.lastProgress_ = progress;
    this.lastTest_ = test;
    this.progress_.update(progress, this.state_, test);
    const { history } = progress;
    // The train curve grows within an epoch from the running loss; validation per epoch.
    const position = progress.epoch + (progress.batchesPerEpoch ? progress.batch / progress.batchesPerEpoch : 0);
    const trainLoss = history.map((m) => [m.epoch, m.trainLoss]);
    const trainAccuracy = history.map((m) => [m.epoch, m.trainAccuracy]);
    if (!progress.done && progress.batch > 0) {
      trainLoss.push([position, progress.runningLoss]);
      trainAccuracy.push([position, progress.runningAccuracy]);
    }
    const validationLoss = [[0, NaN], ...history.map((m) => [m.epoch, m.validationLoss])];
    const validationAccuracy = history.map((m) => [m.epoch, m.validationAccuracy]);
    const testAccuracy = (test?.accuracies ?? []).map((a, i) => [i + 1, a]);
    this.lossChart_.set([trainLoss, validationLoss]);
    this.accuracyChart_.set([trainAccuracy, validationAccuracy, testAccuracy]);
    this.chartTable_.show(history, test?.accuracies ?? []);
  }

  // A diverged run (progress with divergedLayer, suggestedLearningRate) or null: the run
  // message carries the layer as data-diverged-layer, and a button sets the suggested rate.
  showDivergence(progress) {
    this.suggestButton_?.remove();
    this.suggestButton_ = null;
    if (!progress?.diverged) {
      delete this.message_.dataset.divergedLayer;
      return;
    }
    this.message_.dataset.divergedLayer = progress.divergedLayer;
    const rate = Number(engineNumber(progress.suggestedLearningRate, 6));  // 0.1, not the float's 0.10000000149
    if (rate > 0) {
      const button = document.createElement('button');
      button.type = 'button';
      button.className = 'secondary';
      button.setAttribute('data-testid', 'use-suggested-rate');
      setText(button, 'train.useRate', { rate: String(rate) });
      button.addEventListener('click', () => {
        this.settings_ = { ...this.form_.read(this.settings_), learningRate: rate };
        this.form_.write(this.settings_);
        button.remove();
      });
      this.message_.after(button);
      this.suggestButton_ = button;
    }
  }

  // The options a run of the form's settings gets (Step and the gradient check make one
  // when no run exists); throws, with the form's errors shown, when the settings are invalid.
  async options() {
    const { settings, errors } = this.checkForm_();
    if (Object.keys(errors).length) throw new Error(t('train.fixInTrainView'));
    this.settings_ = { ...settings, ...numbers(settings) };
    const architecture = (await this.client_.request('architecture', this.architectureRequest_())).text;
    return trainOptions(this.settings_, architecture);
  }

  // Step pauses a running run (the step is the run's next batch).
  async pauseForStep() {
    if (this.state_ === 'training') await this.togglePause_();
  }

  // Step made a fresh run in the worker (or stepped a finished one on): shown as a paused
  // run, so Resume trains on from the stepped weights.
  adoptRun(run, progress) {
    if (this.run_ !== run || this.state_ === 'idle') {
      this.run_ = run;
      this.runSettings_ = { ...this.settings_ };
      this.lossChart_.reset(progress.epochs);
      this.accuracyChart_.reset(progress.epochs);
      this.progress_.reset(progress.epochs, '');
    }
    this.setState_('paused');
    this.onProgress(progress);
  }

  // Ends the user's run, if one trains or is paused (the default models take the workers back).
  async stopRun() {
    if (this.state_ !== 'idle') await this.reset_();
  }

  // A note about the page itself (what a reload could not restore), in the run message.
  showNote(text) {
    this.showMessage_(text);
  }

  // The run ended: done, diverged or failed (message shown when given).
  onFinished(message = '') {
    this.setState_('idle');
    this.resetButton_.disabled = !this.lastProgress_;
    this.showMessage_(message);
  }

  edited_(name) {
    this.form_.syncEnabled();
    const { settings: raw, errors } = this.checkForm_();
    if (name === 'preset' || name === 'dropout') {
      this.settings_.preset = raw.preset;
      if (!errors.dropout) this.settings_.dropout = Number(raw.dropout);
      if (raw.preset !== 'custom') this.checkArchitecture_(null);
      else if (!this.settings_.architecture && this.stack_) this.stackEdited_(this.stack_);
      else this.checkArchitecture_({ text: this.settings_.architecture });
    }
  }

  stackEdited_(stack) {
    this.stack_ = stack;
    this.settings_.preset = 'custom';
    this.settings_.architecture = stackToText(stack);
    this.form_.setPreset('custom');
    this.checkArchitecture_({ text: this.settings_.architecture });
  }

  architectureRequest_() {
    return this.settings_.preset === 'custom'
      ? { text: this.settings_.architecture }
      : { preset: this.settings_.preset, dropout: this.settings_.dropout };
  }

  // Asks the engine for the summary (or the shape error) and shows it in the editor.
  // request: { text } for a custom stack, null for the current preset.
  async checkArchitecture_(request) {
    const token = ++this.checkToken_;
    try {
      const { text, summary } = await this.client_.request('architecture', request ?? this.architectureRequest_());
      if (token !== this.checkToken_) return;
      if (!request || !this.stack_) this.loadStack_(text);
      this.editor_.showSummary(summary);
      setText(this.layersSummary_, 'train.layersSummary', { layers: summary.layers.length, params: summary.totalParams });
      this.checkForm_();
    } catch (err) {
      if (token !== this.checkToken_) return;
      if (!this.stack_ && request?.text) this.loadStack_(request.text);
      this.editor_.showError(err.message);
      setText(this.layersSummary_, 'train.shapeError');
      this.checkForm_(err.message);
    }
  }

  // The form's settings (with the architecture) and their errors, shown next to the fields;
  // shapeError: the engine's answer about the architecture, when it has one (a field's own
  // error stays while the architecture is checked).
  checkForm_(shapeError = '') {
    const settings = { ...this.form_.read(this.settings_), architecture: this.settings_.architecture };
    const errors = validateSettings(settings);
    this.form_.showErrors(shapeError ? { ...errors, architecture: shapeError } : errors);
    return { settings, errors };
  }

  loadStack_(text) {
    try {
      this.stack_ = parseStack(text);
      this.editor_.setStack(this.stack_);
    } catch (err) {
      this.editor_.showError(err.message);
    }
  }

  // Pausing waits for the worker to confirm (it may be inside a long slice); the button
  // says so meanwhile, and no progress of the paused run arrives after the confirmation.
  async togglePause_() {
    if (this.state_ === 'training') {
      this.pauseButton_.disabled = true;
      setText(this.pauseButton_, 'train.pausing');
      await this.client_.request('pause');
      if (this.state_ !== 'training') return;  // finished or reset meanwhile
      this.setState_('paused');
      if (this.lastProgress_) this.progress_.update(this.lastProgress_, 'paused', this.lastTest_);
    } else if (this.state_ === 'paused') {
      this.setState_('training');
      await this.client_.request('resume');
    }
  }

  async reset_() {
    this.run_ = null;  // drops the reset run's late events
    this.setState_('idle');
    this.lossChart_.reset(1);
    this.accuracyChart_.reset(1);
    this.progress_.reset(0, msg('train.resetDone'));
    this.showMessage_('');
    await this.client_.request('reset');
  }

  setState_(state) {
    this.state_ = state;
    this.pauseButton_.disabled = state === 'idle';
    setText(this.pauseButton_, state === 'paused' ? 'train.resume' : 'train.pause');
    this.resetButton_.disabled = state === 'idle';
    setText(this.startButton_, state === 'idle' ? 'train.start' : 'train.restart');
  }

  // message: msg('key', params), an engine's text, or '' to hide it.
  showMessage_(message) {
    this.message_.hidden = !setMessage(this.message_, message);
  }

  // Engine errors go next to the field they are about, and into the run message.
  showEngineError_(message) {
    const field = MESSAGE_FIELDS.find(([pattern]) => pattern.test(message))?.[1];
    if (field) this.form_.showErrors({ [field]: message });
    this.showMessage_(message);
  }
}

function numbers(settings) {
  const out = {};
  for (const key of NUMBER_FIELDS) {
    out[key] = Number(settings[key]);
  }
  return out;
}

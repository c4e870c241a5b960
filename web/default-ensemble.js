// Trains the first-visit default ensemble (the engine's recipe, settings-schema.js's
// defaultEnsemble) on two engine workers: the predicting worker takes members from the
// front of the list (the first one is the fast model that reads drawings within a second),
// the other worker, from the moment the first has finished, from the back (the slowest),
// each taking the next one when it finishes, so both cores stay busy.
// Each finished member's model file is handed to onMember; the page adds it to the
// predicting worker's ensemble. DOM-free: the page shows what status() says.
import { trainOptions } from './state.js';

export class DefaultEnsemble {
  // recipe: {members: [{preset, settings}], variants}; predictor, trainer: WorkerClients;
  // onMember(index, bytes): a member finished (a promise: settled once it has joined
  // the ensemble, rejected if it could not); onChange(): status() changed;
  // whenIdle(fn): calls fn once the page's main thread is free (the page: requestIdleCallback).
  constructor({ recipe, predictor, trainer, onMember, onChange, whenIdle = (fn) => fn() }) {
    this.recipe_ = recipe;
    this.whenIdle_ = whenIdle;
    this.workers_ = [{ client: predictor, fromFront: true }, { client: trainer, fromFront: false }];
    this.onMember_ = onMember;
    this.onChange_ = onChange;
    this.pending_ = [];
    this.done_ = new Set();     // indices trained (or restored)
    this.failed_ = new Map();   // index -> message
    this.stopped_ = false;
  }

  get total() { return this.recipe_.members.length; }
  // A stand-in (engine/settings.h) reads drawings until every member that stays has joined,
  // then leaves.
  isStandIn(index) { return Boolean(this.recipe_.members[index].standIn); }
  get staying() { return this.recipe_.members.filter((_, i) => !this.isStandIn(i)).length; }

  // Trains every member not in `have` (indices restored from storage). A stand-in is not
  // trained when every member that stays is restored: it would only leave again. Once
  // stopped (a user's run took over while stored members were being restored) it stays so.
  start(have = []) {
    for (const index of have) this.done_.add(index);
    if (this.recipe_.members.every((_, i) => this.isStandIn(i) || this.done_.has(i))) {
      this.recipe_.members.forEach((_, i) => { if (this.isStandIn(i)) this.done_.add(i); });
    }
    if (this.stopped_) return;
    this.pending_ = this.recipe_.members.map((_, i) => i).filter((i) => !this.done_.has(i));
    // The first member gets the cores to itself (the page's other work, the main thread and
    // anything else running share them): the other worker starts once it has joined. It
    // costs nothing at the end while the predictor's share is the longer one.
    this.waitForFirst_ = this.pending_[0] === 0 && this.pending_.length > 1;
    this.next_(this.workers_[0]);
    if (!this.waitForFirst_) this.next_(this.workers_[1]);
    this.onChange_();
  }

  // A user's run or an upload takes over: no more members are trained (the running ones are
  // reset by the caller's own requests to the workers).
  stop() {
    this.stopped_ = true;
    this.pending_ = [];
    for (const worker of this.workers_) worker.job = null;
    this.onChange_();
  }

  get stopped() { return this.stopped_; }

  // Every member has trained (or failed): nothing more will join.
  get complete() { return this.done_.size + this.failed_.size === this.total; }

  // What the page shows: {ready, total, training: [{index, preset, epoch, epochs, preparing}], failed}.
  status() {
    const training = this.workers_.filter((w) => w.job).map(({ job }) => ({
      index: job.index, preset: this.recipe_.members[job.index].preset, ...job.progress,
    })).sort((a, b) => a.index - b.index);
    return { ready: this.done_.size, total: this.total, training, failed: [...this.failed_.values()], stopped: this.stopped_ };
  }

  // An event from a worker: true when it was one of this ensemble's runs.
  onEvent(event, client) {
    const worker = this.workers_.find((w) => w.client === client);
    const job = worker?.job;
    if (!job || job.run === undefined || event.run !== job.run) return false;
    if (event.type === 'progress') {
      const { epoch, epochs, prepared, toPrepare } = event.progress;
      job.progress = { epoch, epochs, preparing: prepared < toPrepare };
      this.onChange_();
    } else if (event.type === 'member') {
      // Ready (and counted) once it has joined the predicting ensemble.
      // Handed over before the worker gets its next member, so the predictor adds it first.
      worker.job = null;
      Promise.resolve(this.onMember_(job.index, event.bytes)).then(() => this.done_.add(job.index),
        (err) => this.failed_.set(job.index, `model ${job.index + 1} could not join: ${err.message}`))
        .finally(() => this.onChange_());
      this.next_(worker);
      this.releaseSecond_(job.index);
      this.onChange_();
    } else if (event.type === 'failed' || event.type === 'diverged') {
      worker.job = null;
      this.failed_.set(job.index, `model ${job.index + 1} (${this.recipe_.members[job.index].preset}): ${event.message}`);
      this.next_(worker);
      this.releaseSecond_(job.index);
      this.onChange_();
    }
    return true;
  }

  // The first member is done (or failed): the other worker starts, once the main thread is
  // free. The first member can be ready while the page still lays itself out; with both
  // workers busy on a 2-core machine, the page's own tasks would then wait for a core.
  releaseSecond_(index) {
    if (index !== 0 || !this.waitForFirst_) return;
    this.waitForFirst_ = false;
    this.whenIdle_(() => this.next_(this.workers_[1]));
  }

  async next_(worker) {
    if (this.stopped_ || this.pending_.length === 0) return;
    const index = worker.fromFront ? this.pending_.shift() : this.pending_.pop();
    const job = { index, progress: { epoch: 0, epochs: this.recipe_.members[index].settings.epochs, preparing: true } };
    worker.job = job;
    const { preset, settings } = this.recipe_.members[index];
    try {
      const { run } = await worker.client.request('train',
        { options: trainOptions(settings, null), preset: { name: preset, dropout: settings.dropout }, member: true });
      if (worker.job === job) job.run = run;
    } catch (err) {
      if (worker.job !== job) return;
      worker.job = null;
      this.failed_.set(index, `model ${index + 1} (${preset}): ${err.message}`);
      this.next_(worker);
      this.releaseSecond_(index);
      this.onChange_();
    }
  }
}

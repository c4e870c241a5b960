// The page's views ("train", "inside", later "lesson"): the header's nav buttons
// (data-view="NAME") show the panels whose data-view-panel names that view and hide the
// other panels; elements without data-view-panel (the draw card) show in every view. The
// view on show is kept in the address's hash (#inside), so a reload or a link opens it.
export class ViewSwitcher {
  // root: the document; onChange(view): called after every switch (the first one too).
  constructor(root = document, onChange = () => {}) {
    this.root_ = root;
    this.onChange_ = onChange;
    this.buttons_ = [...root.querySelectorAll('nav [data-view]')];
    this.names_ = this.buttons_.map((button) => button.dataset.view);
    for (const button of this.buttons_) {
      button.addEventListener('click', () => this.show(button.dataset.view, true));
    }
    window.addEventListener('hashchange', () => this.show(this.fromHash_(), false));
    this.show(this.fromHash_(), false);
  }

  get view() { return this.view_; }

  // The views the nav offers (the URL's view= is checked against them).
  names() { return [...this.names_]; }

  fromHash_() {
    const name = window.location.hash.replace(/^#/, '');
    return this.names_.includes(name) ? name : this.names_[0];
  }

  show(name, remember) {
    if (!this.names_.includes(name)) throw new Error(`unknown view "${name}" (views: ${this.names_.join(', ')})`);
    this.view_ = name;
    for (const button of this.buttons_) button.setAttribute('aria-pressed', String(button.dataset.view === name));
    for (const panel of this.root_.querySelectorAll('[data-view-panel]')) {
      panel.hidden = !panel.dataset.viewPanel.split(/\s+/).includes(name);
    }
    document.body.dataset.view = name;
    // Only a view's own hash is replaced: another one (a #model= link) is not the switcher's.
    const hash = window.location.hash.replace(/^#/, '');
    if (remember && hash !== name && (hash === '' || this.names_.includes(hash))) {
      history.replaceState(null, '', `${window.location.pathname}${window.location.search}#${name}`);
    }
    this.onChange_(name);
  }
}

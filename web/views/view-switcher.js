// The header's view switcher: buttons with data-view="NAME" show the one section with
// data-view-panel="NAME" and hide the others (aria-pressed says which is on). Views are
// added by markup alone: a button and a panel with the same name.
export class ViewSwitcher {
  // onChange(name): called after a switch made by a button (not by show()).
  constructor(root = document, { onChange = () => {} } = {}) {
    this.root_ = root;
    this.onChange_ = onChange;
    for (const button of root.querySelectorAll('[data-view]')) {
      button.addEventListener('click', () => {
        this.show(button.dataset.view);
        this.onChange_(this.current_);
      });
    }
    this.current_ = null;
  }

  names() {
    return [...this.root_.querySelectorAll('[data-view-panel]')].map((panel) => panel.dataset.viewPanel);
  }

  // Shows view `name` (an unknown name shows the first view); returns the name shown.
  show(name) {
    const names = this.names();
    const shown = names.includes(name) ? name : names[0];
    for (const panel of this.root_.querySelectorAll('[data-view-panel]')) panel.hidden = panel.dataset.viewPanel !== shown;
    for (const button of this.root_.querySelectorAll('[data-view]')) {
      button.setAttribute('aria-pressed', String(button.dataset.view === shown));
    }
    this.current_ = shown;
    return shown;
  }

  current() {
    return this.current_;
  }
}

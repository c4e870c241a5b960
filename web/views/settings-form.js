// The hyperparameter form: writes settings into the fields, reads them back (numbers as
// typed, so validation can name what is wrong) and shows a message next to each bad field.

const NUMBER_FIELDS = ['learningRate', 'batchSize', 'epochs', 'l1', 'l2', 'dropout', 'augmentCopies', 'seed'];

export class SettingsForm {
  // onChange(name): called when a field is edited.
  constructor(form, onChange) {
    this.form_ = form;
    form.addEventListener('input', (e) => e.target.name && onChange(e.target.name));
    form.addEventListener('change', (e) => e.target.name && onChange(e.target.name));
    form.addEventListener('submit', (e) => e.preventDefault());
  }

  write(settings) {
    const f = this.form_.elements;
    f.preset.value = settings.preset;
    f.optimizer.value = settings.optimizer;
    f.lrSchedule.value = settings.lrSchedule;
    for (const name of NUMBER_FIELDS) f[name].value = String(settings[name]);
    f.augment.checked = settings.augment;
    f.fontDigits.checked = settings.fontDigits;
    this.syncEnabled();
  }

  // Settings with the numbers as text (validateSettings parses them).
  read() {
    const f = this.form_.elements;
    const settings = {
      preset: f.preset.value, optimizer: f.optimizer.value, lrSchedule: f.lrSchedule.value,
      augment: f.augment.checked, fontDigits: f.fontDigits.checked,
    };
    for (const name of NUMBER_FIELDS) settings[name] = f[name].value;
    return settings;
  }

  // errors: { field: message }; fields not named are cleared.
  showErrors(errors) {
    for (const span of this.form_.querySelectorAll('[data-error-for]')) {
      const name = span.dataset.errorFor;
      const message = errors[name] ?? (name === 'preset' ? errors.architecture : undefined) ?? '';
      span.textContent = message;
      const input = this.form_.elements[name];
      if (input) input.toggleAttribute('aria-invalid', Boolean(message));
    }
  }

  // Copies only matter with augmentation on; dropout is part of the custom stack itself.
  syncEnabled() {
    const f = this.form_.elements;
    f.augmentCopies.disabled = !f.augment.checked;
    f.dropout.disabled = f.preset.value === 'custom';
    f.dropout.title = f.dropout.disabled ? 'Add dropout layers in the layer editor instead.' : '';
  }

  setPreset(preset) {
    this.form_.elements.preset.value = preset;
    this.syncEnabled();
  }
}

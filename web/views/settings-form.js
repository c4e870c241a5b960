// The hyperparameter form: builds its choices and limits from the engine's settings schema,
// writes settings into the fields, reads them back (numbers as typed, so validation can name
// what is wrong) and shows a message next to each bad field.
import { hasText, t } from '../i18n.js';
import { fieldSchema, NUMBER_FIELDS } from '../state.js';

const CHOICE_FIELDS = ['optimizer', 'lrSchedule'];
// How the page spells each choice (i18n key choice.NAME); a choice without one shows its
// engine name.
function choiceLabel(choice) {
  return hasText(`choice.${choice}`) ? t(`choice.${choice}`) : choice;
}

// Options of the selects, limits and help of the inputs, all from the schema.
function applySchema(form) {
  const f = form.elements;
  for (const name of CHOICE_FIELDS) {
    const field = fieldSchema(name);
    f[name].replaceChildren(...field.choices.map((choice) => {
      const option = new Option(choiceLabel(choice), choice);
      if (hasText(`choice.${choice}`)) option.dataset.i18n = `choice.${choice}`;
      return option;
    }));
    setHelp(f[name], name);
  }
  for (const name of NUMBER_FIELDS) {
    const field = fieldSchema(name);
    f[name].min = String(field.min);
    f[name].max = String(field.max);
    f[name].step = field.type === 'float' ? 'any' : '1';
    setHelp(f[name], name);
  }
  for (const name of ['augment', 'fontDigits', 'strokeDigits']) setHelp(f[name], name);
}

// A field's tooltip, in the page's language (kept there when the language changes).
function setHelp(input, key) {
  input.dataset.i18nTitle = key.includes('.') ? key : `help.${key}`;
  input.title = t(input.dataset.i18nTitle);
}

export class SettingsForm {
  // onChange(name): called when a field is edited.
  constructor(form, onChange) {
    this.form_ = form;
    applySchema(form);
    form.addEventListener('input', (e) => e.target.name && onChange(e.target.name));
    form.addEventListener('change', (e) => e.target.name && onChange(e.target.name));
    form.addEventListener('submit', (e) => e.preventDefault());
  }

  write(settings) {
    const f = this.form_.elements;
    f.preset.value = settings.preset;
    for (const name of CHOICE_FIELDS) f[name].value = settings[name];
    for (const name of NUMBER_FIELDS) f[name].value = String(settings[name]);
    f.augment.checked = settings.augment;
    f.fontDigits.checked = settings.fontDigits;
    f.strokeDigits.checked = settings.strokeDigits;
    this.syncEnabled();
  }

  // Settings with the numbers as text (validateSettings parses them). Fields the form does
  // not show (momentum, shares, per-epoch test) keep their values from `base`.
  read(base = {}) {
    const f = this.form_.elements;
    const settings = {
      ...base, preset: f.preset.value, augment: f.augment.checked, fontDigits: f.fontDigits.checked,
      strokeDigits: f.strokeDigits.checked,
    };
    for (const name of CHOICE_FIELDS) settings[name] = f[name].value;
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
    setHelp(f.dropout, f.dropout.disabled ? 'train.dropoutInEditor' : 'dropout');
  }

  setPreset(preset) {
    this.form_.elements.preset.value = preset;
    this.syncEnabled();
  }
}

// The language control (test hook lang-select): shows the page's language, and switching
// it translates the page in place and remembers the choice (i18n.js).
import { currentLanguage, setLanguage } from './i18n.js';

// onChange(lang): after a switch made with the control.
export function connectLanguageSelect(select, onChange = () => {}) {
  select.value = currentLanguage();
  select.addEventListener('change', () => {
    setLanguage(select.value);
    onChange(select.value);
  });
}

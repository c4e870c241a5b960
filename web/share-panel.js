// Sharing a model as a link (engine/model_share.h, the engine does all the work): the button
// that makes a link to the model in use, the link field (test hook share-link), and, when
// the page was opened from a link, what the link carries (its source: layers, parameters,
// checksum, the architecture description). A link is the page's address with
// "#model=<base64url>"; the fragment never leaves the browser.
import { formatPercent } from './format.js';
import { msg, setMessage, setText } from './i18n.js';

const PREFIX = '#model=';

// The link text in a location's fragment ("#model=..."), or null when it has none.
export function linkText(hash) {
  return typeof hash === 'string' && hash.startsWith(PREFIX) ? hash.slice(PREFIX.length) : null;
}

// "1a2b3c4d": a CRC-32 as 8 hex digits.
export function checksumText(checksum) {
  return (checksum >>> 0).toString(16).padStart(8, '0');
}

export class SharePanel {
  // onShare(): resolves to {text, checksum, report} for the model in use, or throws why not.
  constructor(onShare) {
    this.onShare_ = onShare;
    this.button_ = document.getElementById('share-make');
    this.field_ = document.getElementById('share-link');
    this.copy_ = document.getElementById('share-copy');
    this.message_ = document.getElementById('share-message');
    this.source_ = document.getElementById('share-source');
    this.banner_ = document.getElementById('link-message');
    this.button_.addEventListener('click', () => this.share_());
    this.copy_.addEventListener('click', () => this.copyLink_());
  }

  async share_() {
    this.button_.disabled = true;
    try {
      const link = await this.onShare_();
      const url = new URL(window.location.href);
      url.hash = `${PREFIX.slice(1)}${link.text}`;
      this.field_.value = url.href;
      this.copy_.disabled = false;
      const made = { length: url.href.length, params: link.report.summary.totalParams, checksum: checksumText(link.checksum) };
      this.show_(this.message_, link.report?.evaluation
        ? msg('share.madeAccuracy', { ...made, accuracy: formatPercent(link.report.evaluation.accuracy) })
        : msg('share.made', made));
    } catch (err) {
      this.field_.value = '';
      this.copy_.disabled = true;
      this.show_(this.message_, msg('share.failed', { message: err.text ?? err.message }), true);
    } finally {
      this.button_.disabled = false;
    }
  }

  async copyLink_() {
    try {
      await navigator.clipboard.writeText(this.field_.value);
      this.show_(this.message_, msg('share.copied'));
    } catch {
      this.field_.select();
      this.show_(this.message_, msg('share.selected'));
    }
  }

  // The page was opened from a link and its model is in use: show what it carries. Every
  // piece goes in as text, never as markup (a link is anyone's).
  showSource(link) {
    const { summary } = link.report;
    const heading = document.createElement('p');
    setText(heading, 'share.opened', { params: summary.totalParams, checksum: checksumText(link.checksum), bytes: link.payloadBytes });
    const table = document.createElement('pre');
    table.className = 'share-summary';
    table.textContent = summary.text;
    const details = document.createElement('details');
    const label = document.createElement('summary');
    setText(label, 'share.architecture');
    const json = document.createElement('pre');
    json.textContent = prettyJson(link.architecture);
    details.append(label, json);
    this.source_.replaceChildren(heading, table, details);
    this.source_.hidden = false;
  }

  // A link that could not be opened: said at the top of the page; nothing else changed.
  showLinkError(message) {
    this.show_(this.banner_, msg('share.linkError', { message }), true);
  }

  // message: a msg('key', params) ('' or null hides the element).
  show_(element, message, isError = false) {
    element.hidden = !setMessage(element, message);
    element.classList.toggle('error', isError);
  }
}

function prettyJson(text) {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}

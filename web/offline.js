// Offline use: registers the service worker (sw.js), which keeps this version's files (the
// page, its modules, the wasm module and the data) so the page works with no network after
// the first visit. When a new version has been downloaded and waits, a banner offers it;
// it takes over only when asked (or when every digitlab tab is closed), so a page never
// mixes the files of two versions.
import { setText } from './i18n.js';

// -> the registration, or null where there is no service worker (file://, old browsers).
export async function registerOffline() {
  if (!('serviceWorker' in navigator) || !/^https?:$/.test(window.location.protocol)) return null;
  let registration;
  try {
    registration = await navigator.serviceWorker.register(new URL('./sw.js', import.meta.url), { scope: './' });
  } catch (err) {
    // The page works as before, only not offline (e.g. generated/build-id.js was not made).
    console.warn(`digitlab: offline use is unavailable: ${err.message}`);
    return null;
  }
  if (registration.waiting && navigator.serviceWorker.controller) offerUpdate(registration);
  registration.addEventListener('updatefound', () => {
    const incoming = registration.installing;
    incoming?.addEventListener('statechange', () => {
      if (incoming.state === 'installed' && navigator.serviceWorker.controller) offerUpdate(registration);
    });
  });
  return registration;
}

function offerUpdate(registration) {
  if (document.getElementById('update-banner')) return;
  const banner = document.createElement('div');
  banner.id = 'update-banner';
  banner.className = 'update-banner';
  banner.setAttribute('role', 'status');
  const text = document.createElement('span');
  setText(text, 'offline.ready');
  const button = document.createElement('button');
  button.type = 'button';
  button.className = 'secondary';
  setText(button, 'offline.reload');
  button.addEventListener('click', () => {
    navigator.serviceWorker.addEventListener('controllerchange', () => window.location.reload(), { once: true });
    registration.waiting?.postMessage('skipWaiting');
  });
  banner.append(text, button);
  document.body.prepend(banner);
}

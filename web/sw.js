// The service worker: the page offline. It keeps one version of the page's files (the
// list and the version's id come from generated/build-id.js, written by
// scripts/write-build-id.mjs from the files' contents) in a cache named after that id, and
// answers the page's requests from it, so after the first visit the page starts, trains and
// predicts with no network. A new build changes build-id.js, so the browser installs the new
// worker beside the old; it fills its own cache, waits until the page asks for it (or every
// tab is closed), then deletes the old version's cache. Requests the cache does not hold go
// to the network as usual.
importScripts('./generated/build-id.js');

const BUILD = self.DIGITLAB_BUILD;
const CACHE_PREFIX = 'digitlab-';
const CACHE = `${CACHE_PREFIX}${BUILD.id}`;

self.addEventListener('install', (event) => {
  // Every file or none: addAll fails the install when one request fails.
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(BUILD.files.map((file) => new Request(file, { cache: 'reload' })))));
});

self.addEventListener('activate', (event) => {
  event.waitUntil((async () => {
    const names = await caches.keys();
    await Promise.all(names.filter((name) => name.startsWith(CACHE_PREFIX) && name !== CACHE).map((name) => caches.delete(name)));
    await self.clients.claim();  // the first visit's page works offline without a reload
  })());
});

self.addEventListener('message', (event) => {
  if (event.data === 'skipWaiting') self.skipWaiting();
});

self.addEventListener('fetch', (event) => {
  const { request } = event;
  if (request.method !== 'GET' || new URL(request.url).origin !== self.location.origin) return;
  event.respondWith((async () => {
    const cache = await caches.open(CACHE);
    return (await cache.match(request, { ignoreSearch: true })) ?? fetch(request);
  })());
});

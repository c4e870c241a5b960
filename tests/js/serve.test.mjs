// The static server (scripts/serve.mjs): MIME types, index.html for folders, 404s, and
// no way out of its root folder.
import assert from 'node:assert/strict';
import { mkdtemp, mkdir, writeFile } from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';

import { startServer } from '../../scripts/serve.mjs';

let server;
let url;

before(async () => {
  const root = await mkdtemp(path.join(os.tmpdir(), 'digitlab-serve-'));
  await mkdir(path.join(root, 'site'));
  await writeFile(path.join(root, 'site', 'index.html'), '<p>hi</p>');
  await writeFile(path.join(root, 'site', 'nn.wasm'), Buffer.from([0, 97, 115, 109]));
  await writeFile(path.join(root, 'site', 'app.js'), 'export {}');
  await writeFile(path.join(root, 'secret.txt'), 'do not serve');
  ({ server, url } = await startServer({ root: path.join(root, 'site'), port: 0 }));
});

after(() => server.close());

// Raw GET (fetch would normalise "..", which is the point of one test).
function get(pathname) {
  return new Promise((resolve, reject) => {
    const { port } = new URL(url);
    http.get({ host: '127.0.0.1', port, path: pathname }, (response) => {
      let body = '';
      response.on('data', (chunk) => { body += chunk; });
      response.on('end', () => resolve({ status: response.statusCode, type: response.headers['content-type'], body }));
    }).on('error', reject);
  });
}

test('serve: listens on 127.0.0.1 and serves index.html for /', async () => {
  assert.match(url, /^http:\/\/127\.0\.0\.1:\d+\/$/);
  const response = await get('/');
  assert.equal(response.status, 200);
  assert.equal(response.type, 'text/html; charset=utf-8');
  assert.equal(response.body, '<p>hi</p>');
});

test('serve: wasm and module scripts get their MIME types', async () => {
  assert.equal((await get('/nn.wasm')).type, 'application/wasm');
  assert.equal((await get('/app.js')).type, 'text/javascript; charset=utf-8');
});

test('serve: missing files are 404 and nothing outside the root is served', async () => {
  assert.equal((await get('/nope.js')).status, 404);
  const escape = await get('/../secret.txt');
  assert.notEqual(escape.status, 200);
  const encoded = await get('/%2e%2e/secret.txt');
  assert.notEqual(encoded.status, 200);
  assert.doesNotMatch(encoded.body, /do not serve/);
});

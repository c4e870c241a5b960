// The static server (scripts/serve.mjs): MIME types, index.html for folders, 404s, no way
// out of its root folder (symlinks included), security headers on every response, and it
// keeps serving through unreadable files (EACCES) and running out of descriptors (EMFILE),
// which run in a child process (unprivileged, or under `ulimit -n 64`).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { chmod, mkdtemp, mkdir, symlink, writeFile } from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';

import { startServer } from '../../scripts/serve.mjs';

let server;
let url;
let siteRoot;
const SERVE = fileURLToPath(new URL('../../scripts/serve.mjs', import.meta.url));

before(async () => {
  const root = await mkdtemp(path.join(os.tmpdir(), 'digitlab-serve-'));
  await mkdir(path.join(root, 'site'));
  await writeFile(path.join(root, 'site', 'index.html'), '<p>hi</p>');
  await writeFile(path.join(root, 'site', 'nn.wasm'), Buffer.from([0, 97, 115, 109]));
  await writeFile(path.join(root, 'site', 'app.js'), 'export {}');
  await writeFile(path.join(root, 'secret.txt'), 'do not serve');
  await symlink(path.join(root, 'secret.txt'), path.join(root, 'site', 'link.txt'));
  await symlink('/etc/passwd', path.join(root, 'site', 'passwd'));
  siteRoot = path.join(root, 'site');
  ({ server, url } = await startServer({ root: path.join(root, 'site'), port: 0 }));
});

after(() => server.close());

// Raw GET (fetch would normalise "..", which is the point of one test).
function get(pathname, base = url, method = 'GET') {
  return new Promise((resolve, reject) => {
    const { port } = new URL(base);
    const request = http.request({ host: '127.0.0.1', port, path: pathname, method, agent: false }, (response) => {
      let body = '';
      response.on('data', (chunk) => { body += chunk; });
      response.on('end', () => resolve({ status: response.statusCode, type: response.headers['content-type'], body,
        headers: response.headers }));
    });
    request.setTimeout(20_000, () => request.destroy(new Error('timed out')));
    request.on('error', reject);
    request.end();
  });
}

// Runs the server on `root` in a child (through bash, so `shell` can set limits first);
// resolves to { child, url } when it listens.
function startChild(root, { shell = '', dropPrivileges = false } = {}) {
  const script = `const { startServer } = await import(${JSON.stringify(SERVE)});
    if (${dropPrivileges} && process.getuid() === 0) { process.setgid(65534); process.setuid(65534); }
    const { url } = await startServer({ root: ${JSON.stringify(root)}, port: 0 });
    console.log(url);`;
  const child = spawn('bash', ['-c', `${shell} exec "$0" --input-type=module -e "$1"`, process.execPath, script],
    { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    child.stdout.once('data', (line) => resolve({ child, url: String(line).trim() }));
    child.once('exit', (code) => reject(new Error(`server child exited ${code} before listening`)));
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

test('serve: a symlink inside the root to a file outside it is refused', async () => {
  for (const link of ['/link.txt', '/passwd']) {
    const response = await get(link);
    assert.equal(response.status, 403, link);
    assert.equal(response.body, 'Forbidden');
  }
});

test('serve: every response has nosniff and a CSP without inline script or eval, and errors do not echo the path', async () => {
  const responses = [await get('/'), await get('/nn.wasm'), await get('/<script>nope.js'), await get('/../secret.txt'),
    await get('/passwd'), await get('/', url, 'POST'), await get('/%E0%A4%A')];
  assert.deepEqual(responses.map((r) => r.status), [200, 200, 404, 404, 403, 405, 400]);  // /../ is normalised to /
  for (const r of responses) {
    assert.equal(r.headers['x-content-type-options'], 'nosniff');
    const csp = r.headers['content-security-policy'];
    assert.match(csp, /(^|; )default-src 'self'(;|$)/);
    assert.match(csp, /(^|; )script-src 'self' 'wasm-unsafe-eval'(;|$)/);
    assert.doesNotMatch(csp, /'unsafe-inline'|'unsafe-eval'/);
    assert.doesNotMatch(r.body, /script|nope|secret|%E0/);
  }
  assert.equal(responses[2].body, 'Not found');
});

test('serve: an unreadable file is a 500 and the server keeps serving (EACCES)', async (t) => {
  const root = await mkdtemp(path.join(os.tmpdir(), 'digitlab-serve-eacces-'));
  await chmod(root, 0o755);
  await writeFile(path.join(root, 'index.html'), '<p>still here</p>');
  await writeFile(path.join(root, 'locked.js'), 'export {}');
  await chmod(path.join(root, 'locked.js'), 0o000);
  // As root chmod does not stop reads: the child drops to nobody first.
  const { child, url: childUrl } = await startChild(root, { dropPrivileges: true });
  t.after(() => child.kill());
  const locked = await get('/locked.js', childUrl);
  assert.equal(locked.status, 500);
  assert.equal(locked.headers['x-content-type-options'], 'nosniff');
  assert.equal(locked.body, 'Internal server error: the file could not be read');
  assert.equal((await get('/', childUrl)).body, '<p>still here</p>');
  assert.equal(child.exitCode, null);
});

test('serve: 200 connections under a 64-descriptor limit do not stop the server (EMFILE)', async (t) => {
  const { child, url: childUrl } = await startChild(siteRoot, { shell: 'ulimit -n 64;' });
  t.after(() => child.kill());
  const outcomes = await Promise.all(Array.from({ length: 200 }, () =>
    get('/app.js', childUrl).then((r) => r.status, (err) => err.code ?? err.message)));
  // Some requests fail (a 500, or a connection reset when even accept had no descriptor)...
  assert.ok(outcomes.some((o) => o !== 200), `all 200 requests succeeded: ${outcomes.length}`);
  assert.ok(outcomes.every((o) => o === 200 || o === 500 || o === 'ECONNRESET'), [...new Set(outcomes)].join(', '));
  // ...and the server is still there and serving once the load is gone.
  assert.equal(child.exitCode, null);
  const after = await get('/app.js', childUrl);
  assert.equal(after.status, 200);
  assert.equal(after.body, 'export {}');
});

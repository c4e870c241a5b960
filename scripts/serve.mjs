// A tiny static file server for the page (node's http module only): serves one folder on
// 127.0.0.1 with the right MIME types (application/wasm included, so streaming compile
// works). Not a production server: no caching, no compression, no directory listings.
// Usage: node scripts/serve.mjs [--port 8080] [--root web]   (or PORT=8080)
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const MIME_TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
  '.md': 'text/markdown; charset=utf-8',
  '.ts': 'text/plain; charset=utf-8',
  '.bin': 'application/octet-stream',
  '.dlm': 'application/octet-stream',
};

// Starts serving `root`; resolves to { server, url } once listening. port 0 picks a free one.
export function startServer({ root, port = 8080, host = '127.0.0.1' }) {
  const base = path.resolve(root);
  const server = http.createServer(async (request, response) => {
    try {
      if (request.method !== 'GET' && request.method !== 'HEAD') {
        return send(response, 405, 'Method not allowed');
      }
      const pathname = decodeURIComponent(new URL(request.url, 'http://localhost').pathname);
      let file = path.resolve(base, `.${pathname}`);
      if (file !== base && !file.startsWith(base + path.sep)) return send(response, 403, 'Forbidden');
      let info = await stat(file).catch(() => null);
      if (info?.isDirectory()) {
        file = path.join(file, 'index.html');
        info = await stat(file).catch(() => null);
      }
      if (!info?.isFile()) return send(response, 404, `Not found: ${pathname}`);
      response.writeHead(200, {
        'Content-Type': MIME_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream',
        'Content-Length': info.size,
        'Cache-Control': 'no-cache',
        'X-Content-Type-Options': 'nosniff',
      });
      if (request.method === 'HEAD') return response.end();
      createReadStream(file).pipe(response);
    } catch (err) {
      send(response, 400, `Bad request: ${err.message}`);
    }
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      const { port: actual } = server.address();
      resolve({ server, url: `http://${host}:${actual}/` });
    });
  });
}

function send(response, status, text) {
  response.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8' });
  response.end(text);
}

function parseArgs(argv) {
  const options = { port: process.env.PORT ?? '8080', root: path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'web') };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split('=', 2);
    const value = inline ?? argv[i + 1];
    if (flag === '--port') options.port = value;
    else if (flag === '--root') options.root = value;
    else throw new Error(`unknown option ${argv[i]} (use --port N, --root DIR)`);
    if (inline === undefined) i++;
  }
  const port = Number(options.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port must be 0..65535, got "${options.port}"`);
  return { root: options.root, port };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    const { root, port } = parseArgs(process.argv.slice(2));
    const { url } = await startServer({ root, port });
    console.log(`digitlab: serving ${path.relative(process.cwd(), path.resolve(root)) || '.'} at ${url}`);
    console.log('Open that address in a browser; Ctrl+C stops the server.');
  } catch (err) {
    console.error(`serve: ${err.code === 'EADDRINUSE' ? `port in use (${err.message}); pick another with --port` : err.message}`);
    process.exit(1);
  }
}

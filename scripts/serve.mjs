// A tiny static file server for the page (node's http module only): serves one folder on
// 127.0.0.1 with the right MIME types (application/wasm included, so streaming compile
// works). Not a production server: no caching, no compression, no directory listings.
// Usage: node scripts/serve.mjs [--port 8080] [--root web]   (or PORT=8080)
import { open, realpath, stat } from 'node:fs/promises';
import http from 'node:http';
import { pipeline } from 'node:stream';
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

// Sent on every response, errors included. The page runs only its own scripts (no inline
// ones), compiles its wasm module ('wasm-unsafe-eval'; the module is built without eval),
// draws on canvases and fetches its own data.
const SECURITY_HEADERS = {
  'X-Content-Type-Options': 'nosniff',
  'Content-Security-Policy': "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; worker-src 'self'; " +
    "style-src 'self'; img-src 'self' data: blob:; connect-src 'self'; object-src 'none'; base-uri 'none'; " +
    "form-action 'none'; frame-ancestors 'none'",
};

// Starts serving `root`; resolves to { server, url } once listening. port 0 picks a free one.
// A file that cannot be opened or read (EACCES, EMFILE, ...) is a 500 for that request
// only: the server keeps serving. Paths are resolved through symlinks and refused unless the
// real file is inside the real root.
export async function startServer({ root, port = 8080, host = '127.0.0.1' }) {
  const base = await realpath(path.resolve(root));
  const inside = (file) => file === base || file.startsWith(base + path.sep);
  const server = http.createServer(async (request, response) => {
    let handle;
    try {
      if (request.method !== 'GET' && request.method !== 'HEAD') {
        return send(response, 405, 'Method not allowed');
      }
      let pathname;
      try {
        pathname = decodeURIComponent(new URL(request.url, 'http://localhost').pathname);
      } catch {
        return send(response, 400, 'Bad request');
      }
      let file = path.resolve(base, `.${pathname}`);
      if (!inside(file)) return send(response, 403, 'Forbidden');
      let info = await stat(file).catch(() => null);
      if (info?.isDirectory()) {
        file = path.join(file, 'index.html');
        info = await stat(file).catch(() => null);
      }
      if (!info?.isFile()) return send(response, 404, 'Not found');
      // A symlink inside the root may point anywhere: judge the file it resolves to.
      if (!inside(await realpath(file))) return send(response, 403, 'Forbidden');
      // Opened before the status line, so an unreadable file is still a clean 500.
      handle = await open(file, 'r');
      const opened = await handle.stat();
      if (!opened.isFile()) return send(response, 404, 'Not found');
      response.writeHead(200, {
        ...SECURITY_HEADERS,
        'Content-Type': MIME_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream',
        'Content-Length': opened.size,
        'Cache-Control': 'no-cache',
      });
      if (request.method === 'HEAD') return response.end();
      const stream = handle.createReadStream();
      handle = undefined;  // the stream closes it
      // A read error after the status line can only cut the connection; a client that goes
      // away closes the file. Either way the server carries on.
      pipeline(stream, response, () => {});
    } catch {
      send(response, 500, 'Internal server error: the file could not be read');
    } finally {
      handle?.close().catch(() => {});
    }
  });
  // Accepting a connection can fail too (EMFILE when out of descriptors): keep listening.
  const listening = new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      server.on('error', () => {});
      const { port: actual } = server.address();
      resolve({ server, url: `http://${host}:${actual}/` });
    });
  });
  return listening;
}

function send(response, status, text) {
  if (response.headersSent) return response.destroy();
  response.writeHead(status, { ...SECURITY_HEADERS, 'Content-Type': 'text/plain; charset=utf-8' });
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

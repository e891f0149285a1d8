#!/usr/bin/env node
// web-serve.mjs -- serve the page of `make web` (build/web) on the loopback
// interface:
//
//   node tools/web-serve.mjs [--port N] [DIR]      then open the URL it prints
//
// It sends the two headers that make the page cross-origin isolated
// (Cross-Origin-Opener-Policy: same-origin, Cross-Origin-Embedder-Policy:
// require-corp), without which a browser gives it no SharedArrayBuffer: the
// page needs one to switch monitors and take checkpoints while inro.wasm
// runs (web/src/control.mjs).  Only files inside DIR are served; nothing is
// written.  tests/browser.mjs imports serve() and starts it on a free port.
import { createServer } from 'node:http';
import { readFile, realpath } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.wasm': 'application/wasm',
  '.json': 'application/json',
};

// Resolves with {url, close()} once listening on 127.0.0.1:port (0: any).
// isolate: false leaves the two headers out (tests/browser.mjs checks the
// page without them).
export async function serve(dir, port = 0, { isolate = true } = {}) {
  const root = await realpath(dir);
  const server = createServer(async (req, res) => {
    const headers = { 'Cache-Control': 'no-store' };
    if (isolate) {
      headers['Cross-Origin-Opener-Policy'] = 'same-origin';
      headers['Cross-Origin-Embedder-Policy'] = 'require-corp';
    }
    try {
      const url = new URL(req.url, 'http://localhost');
      let file = path.join(root, decodeURIComponent(url.pathname));
      if (url.pathname.endsWith('/')) file = path.join(file, 'index.html');
      file = await realpath(file);
      if (file !== root && !file.startsWith(root + path.sep)) throw new Error('outside');
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        res.writeHead(405, headers).end();
        return;
      }
      const body = await readFile(file);
      headers['Content-Type'] = TYPES[path.extname(file)] || 'application/octet-stream';
      res.writeHead(200, headers).end(req.method === 'HEAD' ? undefined : body);
    } catch {
      res.writeHead(404, { ...headers, 'Content-Type': 'text/plain' }).end('not found\n');
    }
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  return {
    url: `http://127.0.0.1:${server.address().port}/`,
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === (await realpath(process.argv[1]))) {
  const args = process.argv.slice(2);
  let port = 8000, dir = new URL('../build/web', import.meta.url).pathname;
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--port' && i + 1 < args.length) port = Number(args[++i]);
    else if (args[i].startsWith('-')) {
      console.error('usage: node tools/web-serve.mjs [--port N] [DIR]');
      process.exit(2);
    } else dir = args[i];
  }
  try {
    const { url } = await serve(dir, port);
    console.log(`inro's page: ${url}  (Ctrl-C stops)`);
  } catch (e) {
    console.error(`web-serve: ${dir}: ${e.message}${e.code === 'ENOENT' ? ' (make web)' : ''}`);
    process.exit(1);
  }
}

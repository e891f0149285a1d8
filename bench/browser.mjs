#!/usr/bin/env node
// bench/browser.mjs -- how fast inro.wasm runs the Mandelbrot example in
// the browsers (the page of `make web`, headless Chromium and Firefox)
// and on node, with and without V8 flags, against the guest alone on node
// and native inro, all measured in the same run:
//
//   node bench/browser.mjs [--size N] [--runs N] [--columns a,b]
//
// Build first: make all wasm guests web (and npm ci).  Runs are
// interleaved and each cell is the median.  Two kinds of time:
//   wall     a whole process (node or inro start included);
//   inside   instantiating inro.wasm and running it, measured inside the
//            JavaScript host with performance.now(): the page's worker, or
//            node running the page's own WASI layer (web/src/inro-host.mjs)
//            in one process.  No start-up, no compilation of inro.wasm.
// Every run's image must equal native inro's.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, realpathSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import puppeteer from 'puppeteer-core';
import { serve } from '../tools/web-serve.mjs';

const root = realpathSync(new URL('..', import.meta.url).pathname);
const opt = { size: 600, runs: 3, columns: null };
for (let i = 2; i < process.argv.length; i += 2) {
  const [a, v] = [process.argv[i], process.argv[i + 1]];
  if (v === undefined || !['--size', '--runs', '--columns'].includes(a)) {
    console.error('usage: node bench/browser.mjs [--size N] [--runs N] [--columns a,b]');
    process.exit(2);
  }
  opt[a.slice(2)] = a === '--columns' ? v.split(',') : Number(v);
}
const tmp = mkdtempSync(path.join(os.tmpdir(), 'inro-bench-browser-'));
const MANDEL = `${root}/build/examples/mandelbrot.wasm`;
const args = [String(opt.size), 'm.pbm'];
let reference = null;

function wall(cmd, argv, env = process.env) {
  const t = process.hrtime.bigint();
  const r = spawnSync(cmd, argv, { cwd: tmp, env, stdio: ['ignore', 'ignore', 'pipe'] });
  const ms = Number(process.hrtime.bigint() - t) / 1e6;
  if (r.status !== 0) throw new Error(`${cmd} ${argv.join(' ')}: ${r.stderr}`);
  return { ms, image: readFileSync(`${tmp}/m.pbm`) };
}

// node running inro.wasm on the page's WASI layer, timed inside.
const inside = `
import { runInro } from '${root}/web/src/inro-host.mjs';
import { readFileSync, writeFileSync } from 'node:fs';
const module = new WebAssembly.Module(readFileSync('${root}/build/inro.wasm'));
const t = performance.now();
const r = runInro({ module, args: ['run', '--dir', '/files::.', '/inro/m.wasm', ${args.map((a) => `'${a}'`)}],
                    inroFiles: { 'm.wasm': readFileSync('${MANDEL}') } });
const ms = performance.now() - t;
writeFileSync('${tmp}/m.pbm', r.files['m.pbm']);
console.log(ms);`;
writeFileSync(`${tmp}/inside.mjs`, inside);
function nodeInside(flags) {
  const r = spawnSync('node', [...flags, `${tmp}/inside.mjs`], { cwd: tmp, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr);
  return { ms: Number(r.stdout), image: readFileSync(`${tmp}/m.pbm`) };
}

const browsers = {};
async function pageRun(name) {
  const { page } = browsers[name];
  await page.reload();
  await page.waitForFunction(() => document.body.dataset.state === 'ready', { timeout: 60000 });
  await page.$eval('#args', (e, v) => { e.value = v; }, args.join(' '));
  await page.click('#run');
  await page.waitForFunction(() => document.body.dataset.state === 'done', { timeout: 600000 });
  const ms = Number(await page.$eval('#status', (e) => e.dataset.ms));
  const b64 = await page.evaluate(async () => {
    const a = document.querySelector('a[data-file="m.pbm"]');
    const bytes = new Uint8Array(await (await fetch(a.href)).arrayBuffer());
    let s = '';
    for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
    return btoa(s);
  });
  return { ms, image: Buffer.from(b64, 'base64') };
}

const wasmFlags = { ...process.env, INRO_NODE_FLAGS: '' };
const noLiftoff = { ...process.env, INRO_NODE_FLAGS: '--no-turbo-fast-api-calls --no-liftoff' };
const columns = [
  ['native', 'wall', 'native inro', () => wall(`${root}/build/inro`, ['run', '--dir', '.', MANDEL, ...args])],
  ['guest@node', 'wall', 'the guest alone on node', () => wall('node', [`${root}/tools/node-wasi-run.mjs`, '--dir', '.', MANDEL, ...args])],
  ['node-noliftoff', 'wall', 'inro.wasm, tools/inro-node.mjs, V8 with --no-liftoff',
    () => wall('node', [`${root}/tools/inro-node.mjs`, 'run', '--dir', '.', MANDEL, ...args], noLiftoff)],
  ['node', 'wall', 'inro.wasm, tools/inro-node.mjs, stock V8 (no flags)',
    () => wall('node', [`${root}/tools/inro-node.mjs`, 'run', '--dir', '.', MANDEL, ...args], wasmFlags)],
  ['node-inside-noliftoff', 'inside', 'inro.wasm on the page\'s WASI layer, node --no-liftoff', () => nodeInside(['--no-liftoff'])],
  ['node-inside', 'inside', 'inro.wasm on the page\'s WASI layer, node, stock V8', () => nodeInside([])],
  ['chromium', 'inside', 'inro.wasm in the page, headless Chromium', () => pageRun('chromium')],
  ['firefox', 'inside', 'inro.wasm in the page, headless Firefox ESR', () => pageRun('firefox')],
].filter(([name]) => !opt.columns || opt.columns.includes(name));

const launch = {
  chromium: () => puppeteer.launch({
    browser: 'chrome', executablePath: '/usr/bin/chromium', headless: true,
    args: [...(process.getuid() === 0 ? ['--no-sandbox'] : []), '--headless', '--disable-gpu',
      '--disable-background-networking', '--disable-component-update', '--no-first-run',
      `--user-data-dir=${mkdtempSync(path.join(tmp, 'chromium-'))}`],
  }),
  firefox: () => puppeteer.launch({
    browser: 'firefox', protocol: 'webDriverBiDi', executablePath: '/usr/bin/firefox-esr', headless: true,
    userDataDir: mkdtempSync(path.join(tmp, 'firefox-')),
  }),
};

const server = await serve(`${root}/build/web`);
const times = Object.fromEntries(columns.map(([n]) => [n, []]));
let bad = 0;
try {
  for (const [name] of columns)
    if (launch[name]) {
      const browser = await launch[name]();
      const page = await browser.newPage();
      await page.goto(server.url);
      browsers[name] = { browser, page };
    }
  for (let run = 0; run < opt.runs; run++)
    for (const [name, , , f] of columns) {
      const { ms, image } = await f();
      if (!reference) reference = image;
      if (Buffer.compare(image, reference) !== 0) {
        console.error(`${name}: the image differs`);
        bad++;
      }
      times[name].push(ms);
    }
} finally {
  for (const { browser } of Object.values(browsers)) await browser.close();
  await server.close();
  rmSync(tmp, { recursive: true, force: true });
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const base = times['guest@node'] ? median(times['guest@node']) : null;
const nat = times.native ? median(times.native) : null;
console.log(`Mandelbrot ${opt.size}x${opt.size}, median of ${opt.runs} runs, ${os.cpus().length} cores, node ${process.version}`);
console.log(`${'column'.padEnd(22)} ${'time'.padStart(9)} ${'kind'.padEnd(6)} ${'/guest@node'.padStart(11)} ${'/native'.padStart(8)}  what`);
for (const [name, kind, what] of columns) {
  const m = median(times[name]);
  console.log(`${name.padEnd(22)} ${`${(m / 1000).toFixed(3)} s`.padStart(9)} ${kind.padEnd(6)} ` +
    `${base ? `${(m / base).toFixed(2)}x`.padStart(11) : ''.padStart(11)} ` +
    `${nat ? `${(m / nat).toFixed(2)}x`.padStart(8) : ''.padStart(8)}  ${what}`);
}
process.exit(bad ? 1 : 0);

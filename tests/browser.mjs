#!/usr/bin/env node
// tests/browser.mjs BUILD_DIR -- inro.wasm in real browsers: the page of
// `make web` (build/web) in Debian's Chromium (driven over CDP) and
// Firefox ESR (over WebDriver BiDi), both through puppeteer-core, against
// native inro (BUILD_DIR/inro) on the Mandelbrot example.  In each browser:
//
//   example        the page's output (stdout, stderr, the image file)
//                  equals native inro's;
//   native->page   a snapshot taken natively restores in the page, and the
//                  output continues to native's;
//   page->native   a checkpoint asked for while the page runs (the
//                  Checkpoint button) restores natively, output continuing;
//   monitor        monitors switched on and off while the page runs (the
//                  control line, and a checkbox) report exactly what native
//                  inro reports with the same windows: the page asks for
//                  `report count` in the same batch, which gives the
//                  instruction index of each switch;
//   chain          one run moved native -> page -> node (stock V8, no
//                  flags) -> native; its output equals the uninterrupted
//                  run's;
//   not isolated   served without the cross-origin isolation headers, the
//                  page says live control is off, and still runs the
//                  example with a monitor chosen at the start.
//
// BROWSERS="chromium firefox" (the default) selects the browsers.  Each
// check prints PASS/FAIL; the last line is "N passed, M failed".  A browser
// that cannot start is a failure.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, writeFileSync, rmSync, existsSync, realpathSync } from 'node:fs';
import { isDeepStrictEqual } from 'node:util';
import os from 'node:os';
import path from 'node:path';
import puppeteer from 'puppeteer-core';
import { serve } from '../tools/web-serve.mjs';

const root = realpathSync(new URL('..', import.meta.url).pathname);
const build = realpathSync(process.argv[2] || `${root}/build`);
const INRO = `${build}/inro`;
const MANDEL = `${root}/build/examples/mandelbrot.wasm`;
const WEB = `${root}/build/web`;
const tmp = mkdtempSync(path.join(os.tmpdir(), 'inro-browser-'));
const browsers = (process.env.BROWSERS || 'chromium firefox').split(/\s+/).filter(Boolean);

// Sizes of the image: large enough for a checkpoint, or the switches of
// the monitor test, to come before the end (count from the start costs
// little: counters); small enough for the native runs with windows
// (ticking until the last switch) to stay short.
const SIZE = { example: 200, stop: 400, monitor: 700 };
const WAIT = 90_000;             // ms for one run in the page (no hangs)

let passed = 0, failed = 0;
function check(name, ok, detail = '') {
  if (ok) passed++;
  else failed++;
  console.log(`${ok ? 'PASS' : 'FAIL'} ${name}${!ok && detail ? `: ${detail}` : ''}`);
  return ok;
}
const same = (a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)) === 0;
const cat = (...parts) => Buffer.concat(parts.map((p) => Buffer.from(p)));

// ------------------------------------------------------------ native side

function sh(cmd, args, cwd, env = process.env) {
  const r = spawnSync(cmd, args, { cwd, env, maxBuffer: 1 << 28 });
  if (r.error) throw r.error;
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function freshDir(name) {
  const d = path.join(tmp, name);
  rmSync(d, { recursive: true, force: true });
  mkdirSync(d, { recursive: true });
  return d;
}

// The uninterrupted native run of the example at each size.
const refs = {};
function reference(size) {
  if (!refs[size]) {
    const d = freshDir(`ref${size}`);
    const r = sh(INRO, ['run', '--dir', '.', MANDEL, String(size), 'mandelbrot.pbm'], d);
    if (r.status !== 0) throw new Error(`native reference run failed: ${r.stderr}`);
    refs[size] = { ...r, pbm: readFileSync(`${d}/mandelbrot.pbm`) };
  }
  return refs[size];
}

// ------------------------------------------------------------ the page

const launchers = {
  chromium: () => puppeteer.launch({
    browser: 'chrome',
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: [
      ...(process.getuid && process.getuid() === 0 ? ['--no-sandbox'] : []),
      '--headless', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--no-first-run', '--disable-dev-shm-usage',
      `--user-data-dir=${mkdtempSync(path.join(tmp, 'chromium-'))}`,
    ],
  }),
  firefox: () => puppeteer.launch({
    browser: 'firefox',
    protocol: 'webDriverBiDi',
    executablePath: '/usr/bin/firefox-esr',
    headless: true,
    userDataDir: mkdtempSync(path.join(tmp, 'firefox-')),
  }),
};

async function fresh(page, url, isolated = true) {
  await page.goto(url);
  await page.waitForFunction(() => document.body.dataset.state !== 'loading', { timeout: WAIT });
  const state = await page.evaluate(() => [document.body.dataset.state, crossOriginIsolated,
    document.getElementById('status').textContent]);
  if (state[0] !== 'ready') throw new Error(`the page did not start: ${state[2]}`);
  if (state[1] !== isolated) throw new Error(`the page is${isolated ? ' not' : ''} cross-origin isolated`);
}

async function setValue(page, id, value) {
  await page.$eval(`#${id}`, (e, v) => { e.value = v; }, value);
}

async function waitState(page, state) {
  await page.waitForFunction((s) => document.body.dataset.state === s, { timeout: WAIT }, state);
}

// The bytes behind a download link of the page (a blob: URL).
async function linkBytes(page, selector) {
  const b64 = await page.evaluate(async (sel) => {
    const a = document.querySelector(sel);
    if (!a || !a.href) return null;
    const bytes = new Uint8Array(await (await fetch(a.href)).arrayBuffer());
    let s = '';
    for (let i = 0; i < bytes.length; i += 0x8000)
      s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
    return btoa(s);
  }, selector);
  return b64 === null ? null : Buffer.from(b64, 'base64');
}

// What a finished run left: exit status, stdout, stderr, a file of /files.
async function outcome(page, file = 'mandelbrot.pbm') {
  return {
    exit: await page.$eval('#status', (e) => e.dataset.exit),
    status: await page.$eval('#status', (e) => e.textContent),
    stdout: await linkBytes(page, '#stdout-save'),
    stderr: await linkBytes(page, '#stderr-save'),
    file: await linkBytes(page, `a[data-file="${file}"]`),
  };
}

// Put host files into the page's /files.
async function upload(page, paths) {
  const input = await page.$('#add-files');
  await input.uploadFile(...paths);
  await page.waitForFunction((names) => names.every((n) => document.querySelector(`a[data-file="${n}"]`)),
    { timeout: WAIT }, paths.map((p) => path.basename(p)));
}

async function restoreInPage(page, snapshot) {
  const input = await page.$('#snapshot-file');
  await input.uploadFile(snapshot);
  await page.click('#restore');
}

// Click Checkpoint soon after the run starts, and wait for its end.
async function checkpointWhileRunning(page) {
  await waitState(page, 'running');
  await new Promise((r) => setTimeout(r, 100));
  await page.click('#checkpoint');
  await waitState(page, 'done');
}

// The snapshot the page offers for download, and the files at that time,
// written to a new directory.
async function savePageSnapshot(page, dir) {
  const snap = await linkBytes(page, '#snapshot-link');
  const names = await page.$$eval('a[data-snapfile]', (as) => as.map((a) => a.dataset.snapfile));
  for (const n of names) writeFileSync(path.join(dir, n), await linkBytes(page, `a[data-snapfile="${n}"]`));
  writeFileSync(path.join(dir, 'page.snapshot'), snap);
  return `${dir}/page.snapshot`;
}

// ------------------------------------------------------------ the tests

async function testExample(page, url, B) {
  const ref = reference(SIZE.example);
  await fresh(page, url);
  await setValue(page, 'args', `${SIZE.example} mandelbrot.pbm`);
  await page.click('#run');
  await waitState(page, 'done');
  const o = await outcome(page);
  check(`${B} example: exit status 0`, o.exit === '0', o.status);
  check(`${B} example: stdout equals native`, same(o.stdout, ref.stdout));
  check(`${B} example: stderr equals native`, same(o.stderr, ref.stderr), `${o.stderr}`);
  check(`${B} example: image equals native`, o.file && same(o.file, ref.pbm));
}

async function testNativeToPage(page, url, B) {
  const ref = reference(SIZE.stop);
  const d = freshDir(`${B}-n2p`);
  const r = sh(INRO, ['run', '--dir', '.', '--snapshot', 'native.snapshot', '--checkpoint-after',
    '3000000', MANDEL, String(SIZE.stop), 'mandelbrot.pbm'], d);
  if (!check(`${B} native->page: native checkpoint (75)`, r.status === 75, r.stderr)) return;
  await fresh(page, url);
  await upload(page, [`${d}/mandelbrot.pbm`]);
  await restoreInPage(page, `${d}/native.snapshot`);
  await waitState(page, 'done');
  const o = await outcome(page);
  check(`${B} native->page: restored run exits 0`, o.exit === '0', `${o.status} ${o.stderr}`);
  check(`${B} native->page: stdout continues native's`, same(cat(r.stdout, o.stdout), ref.stdout));
  check(`${B} native->page: stderr continues native's`, same(cat(r.stderr, o.stderr), ref.stderr), `${o.stderr}`);
  check(`${B} native->page: image equals the uninterrupted run's`, o.file && same(o.file, ref.pbm));
}

async function testPageToNative(page, url, B) {
  const ref = reference(SIZE.stop);
  await fresh(page, url);
  await setValue(page, 'args', `${SIZE.stop} mandelbrot.pbm`);
  await page.click('#run');
  await checkpointWhileRunning(page);
  const o = await outcome(page);
  if (!check(`${B} page->native: the page stops at the checkpoint (75)`, o.exit === '75', o.status)) return;
  const d = freshDir(`${B}-p2n`);
  const snap = await savePageSnapshot(page, d);
  const r = sh(INRO, ['restore', '--dir', `${d}::.`, snap], d);
  check(`${B} page->native: native restore exits 0`, r.status === 0, `${r.stderr}`);
  check(`${B} page->native: stdout continues the page's`, same(cat(o.stdout, r.stdout), ref.stdout));
  check(`${B} page->native: stderr continues the page's`, same(cat(o.stderr, r.stderr), ref.stderr), `${r.stderr}`);
  check(`${B} page->native: image equals the uninterrupted run's`, same(readFileSync(`${d}/mandelbrot.pbm`), ref.pbm));
}

const countLines = (text) => [...text.matchAll(/^(\d+) instructions executed$/gm)].map((m) => m[1]);

async function stderrText(page) {
  return page.$eval('#stderr', (e) => e.textContent);
}

async function sendControl(page, line) {
  await setValue(page, 'control-line', line);
  await page.click('#control-send');
}

async function testMonitor(page, url, B) {
  await fresh(page, url);
  await setValue(page, 'args', `${SIZE.monitor} mandelbrot.pbm`);
  await page.click('#monitor-count');
  await page.click('#run');
  await waitState(page, 'running');
  await sendControl(page, 'on coverage; on calls; report count');
  await page.waitForFunction((re) => new RegExp(re, 'gm').test(document.getElementById('stderr').textContent) ||
    document.body.dataset.state === 'done', { timeout: WAIT }, '^\\d+ instructions executed$');
  await page.click('#monitor-profile');          // the checkbox: "on profile"
  await sendControl(page, 'off calls; report count');
  await waitState(page, 'done');
  const o = await outcome(page);
  const marks = countLines(await stderrText(page));
  check(`${B} monitor: run exits 0`, o.exit === '0', o.status);
  if (!check(`${B} monitor: both switches applied while running`, marks.length === 2, `count reports at ${marks}`))
    return;
  const [on, off] = marks;
  const page_ = JSON.parse(await linkBytes(page, '#monitors-link'));
  const d = freshDir(`${B}-monitor`);
  // The guest's argv[0] as in the page: its length changes the figures.
  const r = sh(INRO, ['run', '--monitor', 'count', '--monitor', `coverage@${on}..`, '--monitor', `calls@${on}..${off}`,
    '--monitor-out', 'native.json', '--dir', '.', '--argv0', '/inro/mandelbrot.wasm', MANDEL,
    String(SIZE.monitor), 'mandelbrot.pbm'], d);
  check(`${B} monitor: native run with windows exits 0`, r.status === 0, `${r.stderr}`);
  const native = JSON.parse(readFileSync(`${d}/native.json`, 'utf8'));
  const byName = (doc, name) => Object.values(doc.monitors).find((m) => m.monitor === name)?.report;
  for (const name of ['count', 'coverage', 'calls'])
    check(`${B} monitor: ${name} (${name === 'count' ? 'from the start' : name === 'calls'
      ? `on at ${on}, off at ${off}` : `on at ${on}`}) equals native`,
    byName(page_, name) !== undefined && isDeepStrictEqual(byName(page_, name), byName(native, name)));
  const profile = byName(page_, 'profile');
  check(`${B} monitor: the checkbox switched the profile on`, profile && profile.contexts.length > 0);
  const shown = await page.evaluate(() => ({
    flame: document.querySelector('#flamegraph svg')?.textContent || '',
    coverage: document.querySelectorAll('#coverage tr').length,
  }));
  check(`${B} monitor: the page shows the profile as a flame graph`, /\bmain\b/.test(shown.flame));
  check(`${B} monitor: the page shows coverage by function`, shown.coverage > 10, `${shown.coverage} rows`);
}

// native -> page -> node (no V8 flags) -> native, one run.
async function testChain(page, url, B) {
  const ref = reference(SIZE.stop);
  const d = freshDir(`${B}-chain`);
  const r1 = sh(INRO, ['run', '--dir', '.', '--snapshot', 's1', '--checkpoint-after', '2000000', MANDEL,
    String(SIZE.stop), 'mandelbrot.pbm'], d);
  if (!check(`${B} chain: native stops at its checkpoint (75)`, r1.status === 75, r1.stderr)) return;
  await fresh(page, url);
  await upload(page, [`${d}/mandelbrot.pbm`]);
  await restoreInPage(page, `${d}/s1`);
  await checkpointWhileRunning(page);
  const o2 = await outcome(page);
  if (!check(`${B} chain: the page stops at its checkpoint (75)`, o2.exit === '75', `${o2.status} ${o2.stderr}`))
    return;
  const d2 = freshDir(`${B}-chain2`);
  const s2 = await savePageSnapshot(page, d2);
  const env = { ...process.env, INRO_NODE_FLAGS: '' };
  const r3 = sh('node', [`${root}/tools/inro-node.mjs`, 'restore', '--dir', `${d2}::.`, '--snapshot', 's3',
    '--checkpoint-after', '1000000', s2], d2, env);
  if (!check(`${B} chain: node without flags stops at its checkpoint (75)`, r3.status === 75, `${r3.stderr}`)) return;
  const r4 = sh(INRO, ['restore', '--dir', `${d2}::.`, 's3'], d2);
  check(`${B} chain: native finishes (0)`, r4.status === 0, `${r4.stderr}`);
  check(`${B} chain: stdout equals the uninterrupted run's`,
    same(cat(r1.stdout, o2.stdout, r3.stdout, r4.stdout), ref.stdout));
  check(`${B} chain: stderr equals the uninterrupted run's`,
    same(cat(r1.stderr, o2.stderr, r3.stderr, r4.stderr), ref.stderr));
  check(`${B} chain: image equals the uninterrupted run's`, same(readFileSync(`${d2}/mandelbrot.pbm`), ref.pbm));
}

// Served without the isolation headers (`plain`, another server).
async function testNotIsolated(page, url, B, plain) {
  const ref = reference(SIZE.example);
  await fresh(page, plain, false);
  check(`${B} not isolated: the page says live control is off`,
    await page.$eval('#no-live', (e) => !e.hidden));
  await setValue(page, 'args', `${SIZE.example} mandelbrot.pbm`);
  await page.click('#monitor-count');
  // The buttons as the state turns to running (a short run may be done
  // before the test could look).
  await page.evaluate(() => {
    window.buttonsRunning = null;
    new MutationObserver(() => {
      if (document.body.dataset.state === 'running' && !window.buttonsRunning)
        window.buttonsRunning = ['running', document.getElementById('checkpoint').disabled,
          document.getElementById('stop').disabled];
    }).observe(document.body, { attributes: true, attributeFilter: ['data-state'] });
  });
  await page.click('#run');
  await waitState(page, 'done');
  const buttons = await page.evaluate(() => window.buttonsRunning);
  check(`${B} not isolated: while running, Checkpoint is off and Stop on`,
    isDeepStrictEqual(buttons, ['running', true, false]), `${buttons}`);
  const o = await outcome(page);
  check(`${B} not isolated: exit status 0`, o.exit === '0', o.status);
  check(`${B} not isolated: stderr and image equal native`, same(o.stderr, ref.stderr) && o.file && same(o.file, ref.pbm));
  const report = JSON.parse(await linkBytes(page, '#monitors-link'));
  check(`${B} not isolated: count reports`, report.monitors.count.report.total > 0);
}

const tests = [testExample, testNativeToPage, testPageToNative, testMonitor, testChain, testNotIsolated];

async function main() {
  for (const f of [INRO, MANDEL, `${WEB}/index.html`, `${WEB}/inro.wasm`])
    if (!existsSync(f)) {
      console.log(`browser.mjs: ${f} is missing (make all guests web)`);
      check('set-up', false);
      return;
    }
  const server = await serve(WEB);
  const plain = await serve(WEB, 0, { isolate: false });
  try {
    for (const B of browsers) {
      if (!launchers[B]) {
        check(`${B}: a known browser (chromium, firefox)`, false);
        continue;
      }
      const began = Date.now();
      let browser;
      try {
        browser = await launchers[B]();
      } catch (e) {
        check(`${B}: starts`, false, e.message.split('\n')[0]);
        continue;
      }
      const page = await browser.newPage();
      const errors = [];
      page.on('pageerror', (e) => errors.push(e.message));
      for (const t of tests) {
        try {
          await t(page, server.url, B, plain.url);
        } catch (e) {
          check(`${B} ${t.name}: ran to the end`, false, e.message.split('\n')[0]);
        }
      }
      check(`${B}: no script errors in the page`, errors.length === 0, errors.join('; '));
      await browser.close();
      console.log(`${B}: ${((Date.now() - began) / 1000).toFixed(1)} s`);
    }
  } finally {
    await server.close();
    await plain.close();
  }
}

try {
  await main();
} catch (e) {
  check('browser tests ran', false, e.stack);
}
rmSync(tmp, { recursive: true, force: true });
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);

// report.mjs -- the monitors' JSON report (docs/instrumentation.md) shown in
// the page: the profile as a flame graph (d3-flame-graph), coverage by
// function as a table, and the instruction count.
import flamegraph from 'd3-flame-graph';
import { select } from 'd3-selection';

// The profile's calling-context tree, {contexts: [{id, parent, name, self,
// total, calls}]}, as d3-flame-graph's {name, value, children} where value
// includes the children.  A context's `total` counts an instruction once
// per distinct function on the stack, so under recursion it is less than
// self plus the children's values: the flame graph needs the plain sum.
function profileTree(report) {
  const nodes = new Map();
  for (const c of report.contexts)
    nodes.set(c.id, { name: c.name, self: c.self, calls: c.calls, children: [] });
  const roots = [];
  for (const c of report.contexts) {
    const parent = c.parent === null ? null : nodes.get(c.parent);
    (parent ? parent.children : roots).push(nodes.get(c.id));
  }
  const sum = (n) => (n.value = n.self + n.children.reduce((s, k) => s + sum(k), 0));
  const root = { name: 'all', self: 0, calls: 0, children: roots };
  sum(root);
  return root;
}

function el(tag, attrs = {}, ...kids) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  e.append(...kids);
  return e;
}

const fmt = (n) => n.toLocaleString('en-US');

function showProfile(report, box) {
  const tree = profileTree(report);
  const chart = flamegraph()
    .width(Math.max(480, box.clientWidth || 960))
    .cellHeight(18)
    .minFrameSize(2)
    .transitionDuration(0)
    .setLabelHandler((d) =>
      `${d.data.name}: ${fmt(d.data.value)} instructions (${fmt(d.data.self)} self, ${fmt(d.data.calls)} calls)`);
  const div = el('div', { id: 'flamegraph' });
  box.append(el('h3', {}, `Profile: ${fmt(tree.value)} instructions`), div);
  select(div).datum(tree).call(chart);
}

function showCoverage(report, box) {
  const rows = report.functions
    .filter((f) => f.covered > 0)
    .sort((a, b) => b.covered - a.covered || a.func - b.func);
  const table = el('table', { id: 'coverage' },
    el('tr', {}, el('th', {}, 'function'), el('th', {}, 'covered'), el('th', {}, ''), el('th', {}, '%')));
  for (const f of rows) {
    const bar = el('div', { class: 'bar', style: `width:${f.percent}%` });
    table.append(el('tr', {},
      el('td', {}, f.name),
      el('td', { class: 'num' }, `${fmt(f.covered)} / ${fmt(f.instructions)}`),
      el('td', { class: 'barcell' }, bar),
      el('td', { class: 'num' }, f.percent.toFixed(2))));
  }
  const entered = report.functions.filter((f) => f.covered > 0).length;
  box.append(el('h3', {}, `Coverage: ${fmt(report.covered)} of ${fmt(report.instructions)} ` +
    `instructions (${report.percent.toFixed(2)}%), ${entered} of ${report.functions.length} functions entered`), table);
}

function showCount(report, box) {
  const top = Object.entries(report.opcodes).sort((a, b) => b[1] - a[1]).slice(0, 12);
  box.append(el('h3', {}, `Count: ${fmt(report.total)} instructions executed`),
    el('p', { class: 'opcodes' }, top.map(([op, n]) => `${op} ${fmt(n)}`).join(' · ')));
}

const views = { profile: showProfile, coverage: showCoverage, count: showCount };

// Fill box with the reports of json (the text of --monitor-out); the
// monitors without a view of their own are shown as JSON.
export function showReport(json, box) {
  box.replaceChildren();
  const doc = JSON.parse(json);
  for (const [label, m] of Object.entries(doc.monitors)) {
    const view = views[m.monitor];
    const part = el('div', { class: 'monitor', 'data-monitor': label });
    box.append(part);
    if (view) view(m.report, part);
    else part.append(el('h3', {}, label), el('details', {}, el('summary', {}, 'JSON'),
      el('pre', {}, JSON.stringify(m.report, null, 1))));
  }
}

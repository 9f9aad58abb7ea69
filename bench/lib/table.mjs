// The printed summary: one row per measurement, then the targets with measured values.

const fmt = (x, digits = 2) => (x === undefined ? '-' : x.toFixed(digits));

export function formatRows(rows) {
  const header = ['measurement', 'median', 'min', 'max', 'runs', 'max RSS MB', 'tree RSS MB'];
  const body = rows.map((r) => [
    r.name,
    r.unit === 'ms' ? `${fmt(r.median, 0)} ms` : `${fmt(r.median / 1000)} s`,
    r.unit === 'ms' ? `${fmt(r.min, 0)}` : fmt(r.min / 1000),
    r.unit === 'ms' ? `${fmt(r.max, 0)}` : fmt(r.max / 1000),
    String(r.runs),
    fmt(r.maxRssMB, 0),
    fmt(r.treeRssMB, 0),
  ]);
  return grid([header, ...body]);
}

export function formatTargets(targets) {
  const header = ['target', 'measured', 'limit', 'met'];
  const body = targets.map((t) => [t.name, t.measured === undefined ? 'n/a' : t.display, t.limitDisplay, t.measured === undefined ? 'n/a' : t.met ? 'yes' : 'NO']);
  return grid([header, ...body]);
}

export function grid(rows) {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  const line = (r) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  return [line(rows[0]), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.slice(1).map(line)].join('\n');
}

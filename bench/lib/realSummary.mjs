// Figures for `--repo` / `--tree` runs: each task's runs summarised as median and spread, the
// ratios of medians against each baseline, and the printed tables. Pure: samples in, rows and
// text out.
import { grid } from './table.mjs';

/** Median and spread (min-max) of the finite values; undefined fields when there are none. */
export function spread(values) {
  const v = values.filter((x) => typeof x === 'number' && Number.isFinite(x)).sort((a, b) => a - b);
  if (v.length === 0) return { median: undefined, min: undefined, max: undefined, runs: 0 };
  const mid = v.length >> 1;
  return { median: v.length % 2 ? v[mid] : (v[mid - 1] + v[mid]) / 2, min: v[0], max: v[v.length - 1], runs: v.length };
}

const maxDefined = (values) => {
  const v = values.filter((x) => typeof x === 'number' && Number.isFinite(x));
  return v.length === 0 ? undefined : Math.max(...v);
};

/**
 * One task's runs (as measure() returns them) -> wall and CPU spread, the largest process's
 * peak RSS (GNU time) and each process name's peak over all runs (node, git, rg, ...).
 */
export function summariseRuns(samples) {
  const names = [...new Set(samples.flatMap((s) => Object.keys(s.peakRssByNameMB ?? {})))].sort();
  return {
    runs: samples.length,
    wallMs: spread(samples.map((s) => s.wallMs)),
    cpuMs: spread(samples.map((s) => s.cpuMs)),
    cpuSource: samples[0]?.cpuSource,
    maxRssMB: maxDefined(samples.map((s) => s.maxRssMB)),
    treeRssMB: maxDefined(samples.map((s) => s.treeRssMB)),
    ownPeakRssMB: maxDefined(samples.map((s) => s.ownPeakRssMB)),
    peakRssByNameMB: Object.fromEntries(names.map((n) => [n, maxDefined(samples.map((s) => s.peakRssByNameMB?.[n]))])),
    wallSamplesMs: samples.map((s) => s.wallMs),
    cpuSamplesMs: samples.map((s) => s.cpuMs),
  };
}

/** rg -c's output: one count (stdin) or `path:count` lines (a tree) -> the total matching lines. */
export function sumCounts(text) {
  let total = 0;
  for (const line of text.split('\n')) {
    const m = /(\d+)$/.exec(line);
    if (m) total += Number(m[1]);
  }
  return total;
}

/** a / b of two medians, or undefined when either is missing. */
export function ratio(a, b) {
  return a !== undefined && b !== undefined && b > 0 ? a / b : undefined;
}

const seconds = (ms) => (ms === undefined ? '-' : (ms / 1000).toFixed(2));
const fixed = (x, digits) => (x === undefined ? '-' : x.toFixed(digits));
const thousands = (n) => (n === undefined ? '-' : Math.round(n).toLocaleString('en-US'));

/** "12.34 (12.01-13.10)": median seconds and the spread over the runs. */
export function formatSpread(s) {
  if (s?.median === undefined) return '-';
  return s.runs > 1 ? `${seconds(s.median)} (${seconds(s.min)}-${seconds(s.max)})` : seconds(s.median);
}

/**
 * A target's summaries -> its ratios: wall and CPU of segscan over each baseline (ratio of
 * medians), keyed by the baseline's key.
 */
export function targetRatios(tasks) {
  const own = tasks.segscan;
  const ratios = {};
  for (const [key, t] of Object.entries(tasks)) {
    if (key === 'segscan') continue;
    ratios[key] = { wall: ratio(own?.wallMs.median, t.wallMs.median), cpu: ratio(own?.cpuMs.median, t.cpuMs.median) };
  }
  return ratios;
}

/**
 * The history table: one row per repository. RSS is segscan's own process (node, without its git
 * children) and, for the pipeline, the largest git process and rg.
 */
export function historyTable(targets) {
  const header = ['repository', 'commits', 'blob MB read', 'findings', 'segscan s', 'git log -p|rg s', 'ratio', 'cat-file|rg s', 'ratio', 'CPU s segscan', 'CPU s log|rg', 'CPU s cat-file|rg', 'CPU ratio log / cat-file', 'RSS MiB segscan / git log / rg'];
  const rows = targets.map((t) => {
    const { segscan, gitlog, catfile } = t.tasks;
    const r = targetRatios(t.tasks);
    const rss = [segscan?.ownPeakRssMB, gitlog?.peakRssByNameMB.git, gitlog?.peakRssByNameMB.rg].map((x) => fixed(x, 0)).join(' / ');
    return [
      t.name,
      thousands(t.facts.commits),
      fixed(t.facts.blobMBRead, 0),
      thousands(t.facts.findings),
      formatSpread(segscan?.wallMs),
      formatSpread(gitlog?.wallMs),
      fixed(r.gitlog?.wall, 2),
      formatSpread(catfile?.wallMs),
      fixed(r.catfile?.wall, 2),
      formatSpread(segscan?.cpuMs),
      formatSpread(gitlog?.cpuMs),
      formatSpread(catfile?.cpuMs),
      `${fixed(r.gitlog?.cpu, 2)} / ${fixed(r.catfile?.cpu, 2)}`,
      rss,
    ];
  });
  return grid([header, ...rows]);
}

/** The dir table: one row per tree. */
export function dirTable(targets) {
  const header = ['tree', 'files', 'MB', 'findings', 'segscan s', 'rg -uuu -c s', 'ratio', 'CPU s segscan', 'CPU s rg', 'CPU ratio', 'RSS MiB segscan / rg'];
  const rows = targets.map((t) => {
    const { segscan, rg } = t.tasks;
    const r = targetRatios(t.tasks);
    return [
      t.name,
      thousands(t.facts.files),
      fixed(t.facts.bytes === undefined ? undefined : t.facts.bytes / 1e6, 0),
      thousands(t.facts.findings),
      formatSpread(segscan?.wallMs),
      formatSpread(rg?.wallMs),
      fixed(r.rg?.wall, 2),
      formatSpread(segscan?.cpuMs),
      formatSpread(rg?.cpuMs),
      fixed(r.rg?.cpu, 2),
      `${fixed(segscan?.ownPeakRssMB, 0)} / ${fixed(rg?.peakRssByNameMB.rg, 0)}`,
    ];
  });
  return grid([header, ...rows]);
}

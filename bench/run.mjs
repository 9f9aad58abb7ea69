#!/usr/bin/env node
// `npm run bench`: builds (once, cached outside the repository) a tree corpus and a git history
// corpus with planted fake keys, then measures segscan beside ripgrep and git on the same
// corpora in the same run, alternating tools, and prints medians, ratios, peak RSS and recall.
// With --repo/--tree it measures repositories and trees given as arguments instead (real code,
// no planted keys). It never fails on timing: the exit code is 1 only when a tool fails to run
// or a planted key is missed. See the README's benchmark section for the flags.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { assertOutside, cacheRoot, ensureBuilt, removeStaleBuilds, versionOf } from './lib/cache.mjs';
import { historyCorpus, historyRecallKey, prepareStagedChange } from './lib/history.mjs';
import { hasGnuTime, maxOf, measure, median } from './lib/measure.mjs';
import { recall } from './lib/recall.mjs';
import { rgPatterns, rgVersion, shellQuote } from './lib/rgPattern.mjs';
import { formatRows, formatTargets } from './lib/table.mjs';
import { benchRepository, benchTreeTarget } from './lib/realBench.mjs';
import { dirTable, historyTable } from './lib/realSummary.mjs';
import { parseTargets, SCAN_PATTERN, TargetError } from './lib/realTargets.mjs';
import { buildTree, installNpmTree, treeSpec } from './lib/treeCorpus.mjs';

const REPO = fileURLToPath(new URL('..', import.meta.url));
const BIN = join(REPO, 'dist', 'bin.js');
const RULES = join(REPO, 'rules');
const MAX_FILE_SIZE = '10M'; // segscan's default --max-file-size (10 MiB), for rg too

const { values: opts } = parseArgs({
  options: {
    runs: { type: 'string', default: '3' },
    double: { type: 'boolean', default: false },
    json: { type: 'string' },
    only: { type: 'string', default: 'tree,git,startup,staged' },
    'startup-runs': { type: 'string', default: '20' },
    'staged-runs': { type: 'string', default: '10' },
    repo: { type: 'string', multiple: true, default: [] },
    tree: { type: 'string', multiple: true, default: [] },
    'exclude-path': { type: 'string', multiple: true, default: [] },
    'make-npm-tree': { type: 'string' },
    help: { type: 'boolean', default: false },
  },
});
if (opts.help) {
  process.stdout.write(
    [
      'npm run bench [-- --runs N] [--double] [--json FILE] [--only tree,git,startup,staged]',
      'npm run bench -- --repo PATH [--repo PATH ...] [--tree PATH ...] [--exclude-path P ...] [--runs N] [--json FILE]',
      'npm run bench -- --make-npm-tree DIR     (install the tree corpus\'s npm packages alone into DIR, for --tree)',
      '',
    ].join('\n'),
  );
  process.exit(0);
}
const RUNS = Math.max(1, Number(opts.runs));
const ONLY = new Set(opts.only.split(',').map((s) => s.trim()));
const log = (line) => process.stderr.write(`bench: ${line}\n`);

const results = {
  schema: 1,
  when: new Date().toISOString(),
  commit: gitHead(),
  machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model, memoryGB: Math.round(totalmem() / 2 ** 30), node: process.version, loadAverageAtStart: loadavg(), loadAverageAtEnd: undefined },
  tools: {},
  corpora: {},
  measurements: {},
  recall: {},
  targets: [],
  failures: [],
  notes: [],
};

function gitHead() {
  try {
    const sha = execFileSync('git', ['-C', REPO, 'rev-parse', 'HEAD'], { encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['-C', REPO, 'status', '--porcelain', '--untracked-files=no'], { encoding: 'utf8' }).trim() !== '';
    return `${sha}${dirty ? '+dirty' : ''}`;
  } catch {
    return undefined;
  }
}

function checkPrerequisites() {
  if (!existsSync(BIN)) throw new Error('dist/bin.js is missing; run `npm run build` (npm run bench does it)');
  for (const [tool, args] of [['rg', ['--version']], ['git', ['--version']]]) {
    try {
      results.tools[tool] = execFileSync(tool, args, { encoding: 'utf8' }).split('\n')[0];
    } catch {
      throw new Error(`${tool} is not installed; install it (Debian: apt-get install -y ${tool === 'rg' ? 'ripgrep' : 'git'})`);
    }
  }
  results.tools.rg = rgVersion();
  results.tools.segscan = execFileSync(process.execPath, [BIN, '--version'], { encoding: 'utf8' }).trim();
  if (!hasGnuTime()) results.notes.push('/usr/bin/time is missing (apt-get install -y time): max RSS comes from /proc sampling only');
}

/** Built-package helpers the generators need (seeded fake keys, redaction). */
async function loadTools() {
  const templates = await import(join(REPO, 'dist/rules/templates.js'));
  const redact = await import(join(REPO, 'dist/engine/redact.js'));
  return { fakeCredentials: templates.fakeCredentials, seededRandom: templates.seededRandom, redactSecret: redact.redactSecret };
}

// ---- measuring ----------------------------------------------------------------------------

/**
 * Run `warmUp` once (untimed: it pulls the corpus into the page cache, so no tool pays for a cold
 * read the others don't), then `runs` rounds of all tasks, alternating their order between rounds.
 * Every timed run counts; segscan writes its report each time, and the last one is read for recall.
 */
async function compare(tasks, runs, warmUp) {
  const samples = new Map(tasks.map((t) => [t.name, []]));
  for (const t of warmUp ? [warmUp] : []) {
    log(`warm-up: ${t.name}`);
    await runTask(t);
  }
  for (let round = 0; round < runs; round++) {
    const order = round % 2 === 0 ? tasks : [...tasks].reverse();
    for (const t of order) {
      const m = await runTask(t);
      samples.get(t.name).push(m);
      const wall = t.unit === 'ms' ? `${m.wallMs.toFixed(0)} ms` : `${(m.wallMs / 1000).toFixed(2)} s`;
      log(`round ${round + 1}/${runs}: ${t.name} ${wall}, max RSS ${m.maxRssMB?.toFixed(0) ?? '?'} MB`);
    }
  }
  for (const t of tasks) results.measurements[t.key ?? t.name] = summarise(t.name, samples.get(t.name), t.unit ?? 's');
}

async function runTask(task) {
  const m = await measure(task.command, task.args, { cwd: task.cwd ?? REPO });
  const ok = (task.okCodes ?? [0]).includes(m.exitCode);
  if (!ok) {
    const failure = `${task.name}: exit ${m.exitCode}${m.signal ? ` (${m.signal})` : ''}: ${m.stderr.trim().split('\n').slice(-3).join(' | ')}`;
    if (!results.failures.includes(failure)) results.failures.push(failure);
    log(`FAILED ${failure}`);
  }
  return m;
}

function summarise(name, samples, unit) {
  const walls = samples.map((s) => s.wallMs);
  return {
    name,
    unit,
    runs: samples.length,
    median: median(walls),
    min: Math.min(...walls),
    max: Math.max(...walls),
    wallMs: walls,
    maxRssMB: maxOf(samples.map((s) => s.maxRssMB)),
    treeRssMB: maxOf(samples.map((s) => s.treeRssMB)),
  };
}

const segscan = (...args) => ({ command: process.execPath, args: [BIN, ...args], okCodes: [0, 1] });

/** A report path with no stale file in it: recall must come from this run's report. */
function freshReport(path) {
  rmSync(path, { force: true });
  return path;
}

function readFindings(file) {
  try {
    return JSON.parse(readFileSync(file, 'utf8')).findings;
  } catch (e) {
    results.failures.push(`cannot read segscan's JSON report ${file}: ${e.message}`);
    return [];
  }
}

function recordRecall(name, plants, findings, key) {
  const r = recall(plants, findings, key);
  results.recall[name] = r;
  log(`recall ${name}: ${r.found}/${r.planted}${r.missing.length ? ` (MISSING ${r.missing.length})` : ''}; ${r.unplanted} finding(s) not planted`);
  return r;
}

// ---- corpora ------------------------------------------------------------------------------

async function ensureTree(cache, scale, tools) {
  const spec = treeSpec(scale);
  const dir = join(cache, `tree-x${scale}-${versionOf(spec)}`);
  await ensureBuilt(dir, 'manifest.json', (tmp) => buildTree(tmp, { scale, log, tools }), log);
  const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
  results.corpora[`tree-x${scale}`] = { dir: join(dir, 'files'), files: manifest.files, bytes: manifest.bytes, planted: manifest.plants.length, packages: spec.packages, npmBefore: spec.before };
  return { root: join(dir, 'files'), manifest, dir };
}

// ---- the comparisons ------------------------------------------------------------------------

async function benchTree(tree, label, runs, rg) {
  const report = freshReport(join(tree.dir, `segscan-${label}.json`));
  const tasks = [
    { ...segscan('dir', tree.root, '--format', 'json', '--output', report, '--quiet'), name: `segscan dir (${label})`, key: `dir-${label}` },
    {
      command: 'rg',
      args: ['-uuu', '--no-messages', '--max-filesize', MAX_FILE_SIZE, '-n', ...(rg.multiline ? ['-U'] : []), ...rg.patterns.flatMap((p) => ['-e', p]), tree.root],
      okCodes: [0, 1],
      name: `rg -uuu rules' regexes (${label})`,
      key: `rg-${label}`,
    },
    {
      command: 'rg',
      args: ['-uuu', '--no-messages', '--max-filesize', MAX_FILE_SIZE, '-n', '-i', '-F', ...rg.keywords.flatMap((k) => ['-e', k]), tree.root],
      okCodes: [0, 1],
      name: `rg -uuu -i -F keywords (${label})`,
      key: `rg-keywords-${label}`,
    },
  ];
  const warmUp = { ...tasks[2], name: `warm page cache: ${tasks[2].name}` };
  await compare(tasks, runs, warmUp);
  recordRecall(`dir-${label}`, tree.manifest.plants, readFindings(report));
}

async function benchHistory(history, label, runs, rg) {
  const report = freshReport(join(history.dir, `segscan-${label}.json`));
  const pattern = rg.patterns.map((p) => `-e ${shellQuote(p)}`).join(' ');
  const repo = shellQuote(history.repo);
  const tasks = [
    { ...segscan('git', history.repo, '--format', 'json', '--output', report, '--quiet'), name: `segscan git (${label})`, key: `git-${label}` },
    {
      command: 'bash',
      // rg exits 1 when nothing matches; only git's failure or rg's error (2) is a failure.
      args: ['-c', `git -C ${repo} log -p -U0 --all | rg -n ${rg.multiline ? '-U ' : ''}${pattern} > /dev/null; s=("\${PIPESTATUS[@]}"); [ "\${s[0]}" = 0 ] && [ "\${s[1]}" -le 1 ]`],
      name: `git log -p -U0 --all | rg (${label})`,
      key: `gitlog-rg-${label}`,
    },
    { command: 'git', args: ['-C', history.repo, 'cat-file', '--batch-all-objects', '--batch'], name: `git cat-file --batch-all-objects --batch (${label})`, key: `catfile-${label}` },
  ];
  await compare(tasks, runs, { ...tasks[2], name: `warm page cache: ${tasks[2].name}` });
  recordRecall(`git-${label}`, history.plants, readFindings(report), historyRecallKey);
}

async function benchStartup() {
  const runs = Number(opts['startup-runs']);
  const task = { ...segscan('--version'), okCodes: [0], name: 'segscan --version', key: 'version', unit: 'ms' };
  await compare([task], runs, task);
}

async function benchStaged(history, tools) {
  const staged = prepareStagedChange(history, log, tools);
  const report = freshReport(join(history.dir, 'segscan-staged.json'));
  const runs = Number(opts['staged-runs']);
  const task = { ...segscan('staged', staged.worktree, '--format', 'json', '--output', report, '--quiet'), name: `segscan staged (1 file, ${staged.description})`, key: 'staged', unit: 'ms' };
  await compare([task], runs, task);
  recordRecall('staged', staged.plants, readFindings(report));
}

// ---- targets ------------------------------------------------------------------------------

function ratio(a, b) {
  const x = results.measurements[a]?.median;
  const y = results.measurements[b]?.median;
  return x !== undefined && y !== undefined && y > 0 ? x / y : undefined;
}

function target(name, measured, limit, display, limitDisplay) {
  results.targets.push({ name, measured, limit, met: measured === undefined ? undefined : measured <= limit, display, limitDisplay });
}

function evaluateTargets() {
  const m = results.measurements;
  // Each speed ratio on every corpus size measured: fixed costs (start-up, repository discovery)
  // weigh less on the doubled corpora, so the two rows together show how segscan scales.
  for (const size of ['x1', 'x2']) {
    if (!m[`dir-${size}`] && !m[`git-${size}`]) continue;
    const dirRatio = ratio(`dir-${size}`, `rg-${size}`);
    if (dirRatio !== undefined) target(`segscan dir / rg rules' regexes (tree ${size})`, dirRatio, 4, `${dirRatio.toFixed(2)}x`, '<= 4x');
    // The same bar against rg doing only the keyword search: what reading the tree and finding the
    // keywords costs at ripgrep's speed (rg's combined multiline regex is slow; this one is not).
    const floorRatio = ratio(`dir-${size}`, `rg-keywords-${size}`);
    if (floorRatio !== undefined) target(`stricter bar: segscan dir / rg -F keywords only (tree ${size})`, floorRatio, 4, `${floorRatio.toFixed(2)}x`, '<= 4x');
    const gitLog = ratio(`git-${size}`, `gitlog-rg-${size}`);
    if (gitLog !== undefined) target(`segscan git / (git log -p | rg) (${size})`, gitLog, 1, `${gitLog.toFixed(2)}x`, '<= 1x');
    const catFile = ratio(`git-${size}`, `catfile-${size}`);
    if (catFile !== undefined) target(`segscan git / git cat-file --batch-all-objects (${size})`, catFile, 2, `${catFile.toFixed(2)}x`, '<= 2x');
  }
  for (const key of ['dir-x1', 'dir-x2', 'git-x1', 'git-x2']) {
    const rss = m[key]?.maxRssMB;
    if (rss !== undefined) target(`peak RSS ${m[key].name}`, rss, 300, `${rss.toFixed(0)} MB`, '< 300 MB');
  }
  for (const kind of ['dir', 'git']) {
    const one = m[`${kind}-x1`]?.maxRssMB;
    const two = m[`${kind}-x2`]?.maxRssMB;
    if (one !== undefined && two !== undefined) target(`RSS growth ${kind}, 2x corpus`, two / one, 1.25, `${(two / one).toFixed(2)}x`, '<= 1.25x (flat)');
  }
  target('segscan staged (1-file change)', m.staged?.median, 300, `${m.staged?.median?.toFixed(0)} ms`, '< 300 ms');
  target('segscan --version', m.version?.median, 150, `${m.version?.median?.toFixed(0)} ms`, '< 150 ms');
  for (const [name, r] of Object.entries(results.recall)) target(`recall ${name}`, 1 - r.recall, 0, `${r.found}/${r.planted}`, '100%');
}

// ---- repositories and trees given as arguments ---------------------------------------------

async function realMain(targets) {
  checkPrerequisites();
  const cache = cacheRoot();
  assertOutside(cache, REPO);
  const workDir = join(cache, 'real');
  mkdirSync(workDir, { recursive: true });
  results.schema = 2;
  results.pattern = SCAN_PATTERN;
  results.real = [];
  log(`load average at start ${loadavg().map((x) => x.toFixed(2)).join(' ')}; ${RUNS} rounds`);
  const common = { node: process.execPath, bin: BIN, runs: RUNS, workDir, log, failures: results.failures };
  for (const t of targets.history) results.real.push(await benchRepository(t, { ...common, excludePaths: targets.excludePaths }));
  for (const t of targets.dir) results.real.push(await benchTreeTarget(t, common));
  results.machine.loadAverageAtEnd = loadavg();

  const load = (l) => l.map((x) => x.toFixed(2)).join(' ');
  process.stdout.write(`\nsegscan on given repositories and trees (${results.commit ?? 'unknown commit'}; ${results.machine.cpus} cores; node ${process.version}; ${results.tools.rg}; ${results.tools.git})\n`);
  process.stdout.write(`load average ${load(results.machine.loadAverageAtStart)} at start, ${load(results.machine.loadAverageAtEnd)} at end; wall seconds as median (min-max) of ${RUNS} run(s); ratios are of medians\n`);
  const history = results.real.filter((r) => r.kind === 'history');
  const dirs = results.real.filter((r) => r.kind === 'dir');
  if (history.length > 0) process.stdout.write(`\n${historyTable(history)}\n`);
  if (targets.excludePaths.length > 0) process.stdout.write(`history scans leave out, for every tool: ${targets.excludePaths.join(', ')}\n`);
  if (dirs.length > 0) process.stdout.write(`\n${dirTable(dirs)}\n`);
  for (const f of results.failures) process.stdout.write(`FAILED: ${f}\n`);
  const json = `${JSON.stringify(results, null, 2)}\n`;
  if (opts.json) writeFileSync(resolve(process.cwd(), opts.json), json);
  writeFileSync(join(workDir, 'latest.json'), json);
  process.stdout.write(`\nfigures: ${join(workDir, 'latest.json')}${opts.json ? ` and ${opts.json}` : ''}\n`);
  process.exitCode = results.failures.length > 0 ? 1 : 0;
}

// ---- main ---------------------------------------------------------------------------------

async function main() {
  checkPrerequisites();
  const [load1] = loadavg();
  if (load1 > cpus().length / 2) {
    const note = `load average ${load1.toFixed(1)} on ${cpus().length} cores at start: other work is running and the timings will be noisy`;
    results.notes.push(note);
    log(`warning: ${note}`);
  }
  const tools = await loadTools();
  const cache = cacheRoot();
  assertOutside(cache, REPO);
  mkdirSync(cache, { recursive: true });
  removeStaleBuilds(cache);
  const rg = rgPatterns(RULES);
  results.rg = { patterns: rg.patterns.length, multiline: rg.multiline, keywords: rg.keywords, notes: rg.notes };
  log(`cache ${cache}; ${rg.patterns.length} rule patterns; ${RUNS} rounds`);

  if (ONLY.has('tree')) {
    const tree = await ensureTree(cache, 1, tools);
    await benchTree(tree, 'x1', RUNS, rg);
    if (opts.double) await benchTree(await ensureTree(cache, 2, tools), 'x2', Math.min(RUNS, 2), rg);
  }
  let history;
  if (ONLY.has('git') || ONLY.has('staged')) history = await historyCorpus(cache, 1, { log, tools, results });
  if (ONLY.has('git')) {
    await benchHistory(history, 'x1', RUNS, rg);
    if (opts.double) await benchHistory(await historyCorpus(cache, 2, { log, tools, results }), 'x2', Math.min(RUNS, 2), rg);
  }
  if (ONLY.has('startup')) await benchStartup();
  if (ONLY.has('staged')) await benchStaged(history, tools);

  results.machine.loadAverageAtEnd = loadavg();
  evaluateTargets();
  const rows = Object.values(results.measurements);
  process.stdout.write(`\nsegscan benchmark (${results.commit ?? 'unknown commit'}; ${results.machine.cpus} cores; node ${process.version}; ${results.tools.rg})\n\n`);
  for (const [name, c] of Object.entries(results.corpora)) {
    const size = c.files !== undefined
      ? `${c.files} files, ${(c.bytes / 1e6).toFixed(0)} MB`
      : `${c.commits} commits, ${c.blobs} blobs, ${c.refs} refs, ${c.packMB.toFixed(0)} MB packed, ${c.logPatchMB.toFixed(0)} MB of git log -p -U0`;
    process.stdout.write(`corpus ${name}: ${size}, ${c.planted} planted keys\n`);
  }
  process.stdout.write(`\n${formatRows(rows)}\n\n${formatTargets(results.targets)}\n`);
  for (const [name, r] of Object.entries(results.recall)) {
    for (const miss of r.missing) process.stdout.write(`MISSED (${name}): ${miss.path}:${miss.line}:${miss.column} ${miss.kind} [${miss.context}] ${miss.secret}${miss.commit ? ` @${miss.commit.slice(0, 10)}` : ''}\n`);
    for (const w of r.wrongColumn.slice(0, 5)) process.stdout.write(`column differs (${name}): ${w.path}:${w.line} expected ${w.expected}, got ${w.got.join(',')} [${w.context}]\n`);
  }
  for (const f of results.failures) process.stdout.write(`FAILED: ${f}\n`);
  for (const n of results.notes) process.stdout.write(`note: ${n}\n`);

  const json = `${JSON.stringify(results, null, 2)}\n`;
  const stamp = results.when.replace(/[:.]/g, '-');
  mkdirSync(join(cache, 'results'), { recursive: true });
  writeFileSync(join(cache, 'results', `${stamp}.json`), json);
  writeFileSync(join(cache, 'results', 'latest.json'), json);
  if (opts.json) writeFileSync(resolve(process.cwd(), opts.json), json);
  process.stdout.write(`\nfigures: ${join(cache, 'results', 'latest.json')}${opts.json ? ` and ${opts.json}` : ''}\n`);

  const missed = Object.values(results.recall).some((r) => r.missing.length > 0);
  process.exitCode = results.failures.length > 0 || missed ? 1 : 0;
}

function entry() {
  // npm run changes into the package root; paths on its command line are the caller's.
  const here = (p) => resolve(process.env.INIT_CWD ?? process.cwd(), p);
  if (opts['make-npm-tree']) {
    const size = installNpmTree(here(opts['make-npm-tree']), log);
    log(`${opts['make-npm-tree']}: ${size.files} files, ${(size.bytes / 1e6).toFixed(0)} MB`);
    return Promise.resolve();
  }
  const targets = parseTargets({ repo: opts.repo.map(here), tree: opts.tree.map(here), excludePath: opts['exclude-path'] });
  for (const t of [...targets.history, ...targets.dir]) if (!existsSync(t.path)) throw new TargetError(`${t.path} does not exist`);
  if (targets.history.length > 0 || targets.dir.length > 0) return realMain(targets);
  return main();
}

Promise.resolve().then(entry).catch((e) => {
  process.stderr.write(`bench: error: ${e.message}\n`);
  process.exitCode = 1;
});

#!/usr/bin/env node
// Where does `segscan dir` spend its time on the tree corpus?
//
//   node bench/profile.mjs [--tree DIR] [--top 25] [--skip-cpu-prof] [--skip-phases] [--json FILE]
//   node bench/profile.mjs --git [--repo DIR]     (CPU profile of `segscan git` on the history corpus)
//
// 1. CPU profile: runs the CLI under `node --cpu-prof` (every thread writes a profile) and prints
//    the functions and files with the most self time, and each thread's busy/idle split.
// 2. Phases: re-runs the engine's steps one by one on this thread over every file, timing each
//    (read, byte keyword gate, UTF-8 decode, lower-casing, keyword search, each rule's regex, base64
//    candidate search and decoding, the whole detect()), and counts how often each keyword lets a
//    file through the gate. Single-threaded on purpose: the figures are costs, not wall times.
// Needs the corpus of `npm run bench` (or --tree DIR) and a build (npm run build).
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { cacheRoot, versionOf } from './lib/cache.mjs';
import { summariseProfiles } from './lib/cpuProfile.mjs';
import { historySpec } from './lib/history.mjs';
import { treeSpec } from './lib/treeCorpus.mjs';
import { hitsBase64Views, keywordOccurrences, keywordScanner } from './lib/whatIf.mjs';

const REPO = fileURLToPath(new URL('..', import.meta.url));
const dist = (p) => pathToFileURL(join(REPO, 'dist', p)).href;

const { values: opts } = parseArgs({
  options: {
    tree: { type: 'string' },
    git: { type: 'boolean', default: false },
    repo: { type: 'string' },
    top: { type: 'string', default: '25' },
    'skip-cpu-prof': { type: 'boolean', default: false },
    'skip-phases': { type: 'boolean', default: false },
    json: { type: 'string' },
  },
});
const TOP = Number(opts.top);
const out = { cpuProfile: undefined, phases: undefined };

function treeRoot() {
  if (opts.tree) return resolve(opts.tree);
  const dir = join(cacheRoot(), `tree-x1-${versionOf(treeSpec(1))}`, 'files');
  if (!existsSync(dir)) throw new Error(`no tree corpus at ${dir}; run \`npm run bench -- --only tree\` first or pass --tree DIR`);
  return dir;
}

const pct = (x) => `${(x * 100).toFixed(1).padStart(5)}%`;
const ms = (x) => `${x.toFixed(0).padStart(7)} ms`;

function historyRepo() {
  if (opts.repo) return resolve(opts.repo);
  const dir = join(cacheRoot(), `history-x1-${versionOf(historySpec(1))}`, 'repo');
  if (!existsSync(dir)) throw new Error(`no history corpus at ${dir}; run \`npm run bench -- --only git\` first or pass --repo DIR`);
  return dir;
}

function cpuProfile(root, command = 'dir') {
  const dir = mkdtempSync(join(tmpdir(), 'segscan-prof-'));
  try {
    const started = Date.now();
    const r = spawnSync(process.execPath, ['--cpu-prof', `--cpu-prof-dir=${dir}`, join(REPO, 'dist/bin.js'), command, root, '--format', 'json', '--output', join(dir, 'report.json'), '--quiet'], { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
    if (r.status !== 0 && r.status !== 1) throw new Error(`segscan ${command} failed under --cpu-prof: ${r.stderr}`);
    const wallMs = Date.now() - started;
    const s = summariseProfiles(dir);
    const busy = s.totalMs - s.functions.filter((f) => f.name.startsWith('(idle)')).reduce((a, f) => a + f.ms, 0);
    console.log(`\n== CPU profile of segscan ${command} (wall ${(wallMs / 1000).toFixed(1)} s, ${s.threads.length} threads, ${(busy / 1000).toFixed(1)} s busy CPU)`);
    for (const t of s.threads) console.log(`  thread ${t.file}: ${(t.totalMs / 1000).toFixed(1)} s profiled, ${(t.idleMs / 1000).toFixed(1)} s idle`);
    console.log(`\n  top functions by self time (share of busy CPU):`);
    const fns = s.functions.filter((f) => !f.name.startsWith('(idle)'));
    for (const f of fns.slice(0, TOP)) console.log(`  ${ms(f.ms)} ${pct(f.ms / busy)}  ${f.name}`);
    console.log(`\n  by file:`);
    for (const f of s.files.slice(0, 12)) console.log(`  ${ms(f.ms)}  ${f.name}`);
    out.cpuProfile = { wallMs, busyMs: busy, threads: s.threads, functions: fns.slice(0, 60), files: s.files.slice(0, 30) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Files as `segscan dir` walks them: no symlinks, no node_modules or .git directories. */
function listFiles(root) {
  const files = [];
  const walk = (d) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.isDirectory()) {
        if (e.name !== 'node_modules' && e.name !== '.git') walk(join(d, e.name));
      } else if (e.isFile()) files.push(join(d, e.name));
    }
  };
  walk(root);
  return files;
}

function timer() {
  const totals = new Map();
  return {
    totals,
    time(name, fn) {
      const t = process.hrtime.bigint();
      const r = fn();
      totals.set(name, (totals.get(name) ?? 0) + Number(process.hrtime.bigint() - t) / 1e6);
      return r;
    },
  };
}

async function phases(root) {
  const { loadRules } = await import(dist('rules/load.js'));
  const { createEngine } = await import(dist('engine/detect.js'));
  const decode = await import(dist('engine/decode.js'));
  const { KeywordScanner } = await import(dist('engine/regex.js'));
  const { KeywordPositions } = await import(dist('engine/windows.js'));
  const { LineIndex, asUtf8 } = await import(dist('engine/text.js'));
  const rules = loadRules();
  const engine = createEngine(rules);
  const files = listFiles(root);
  const t = timer();
  const keywords = [...new Set(rules.flatMap((r) => r.keywords))];
  const keywordFiles = new Map(keywords.map((k) => [k, { files: 0, bytes: 0 }]));
  const perRule = new Map(rules.map((r) => [r.info.id, { files: 0, bytes: 0, ms: 0, matches: 0 }]));
  const utf8 = new TextDecoder('utf-8');
  const scanKeywords = keywordScanner(keywords);
  let keywordMismatches = 0;
  let viewsA = 0;
  let viewsD = 0;
  let windowMatches = 0;
  let keywordMismatchesD = 0;
  const findOccurrences = keywordOccurrences(keywords);
  let bytes = 0;
  let gated = 0;
  let gatedBytes = 0;
  let longLineFiles = 0;
  const MAX = 10 * 1024 * 1024;
  console.log(`\n== phases over ${files.length} files (single thread)`);
  for (const path of files) {
    const content = t.time('1 read (readFileSync)', () => readFileSync(path));
    if (content.length > MAX) continue;
    bytes += content.length;
    const binary = t.time('2 binary sniff (NUL in 8000 bytes)', () => content.subarray(0, 8000).includes(0));
    if (binary) continue;
    const pass = t.time('3 byte keyword gate (mayContainSecrets)', () => engine.mayContainSecrets(content));
    if (!pass) continue;
    gated++;
    gatedBytes += content.length;
    const text = t.time('4 UTF-8 decode', () => utf8.decode(content));
    const bytesUtf8 = asUtf8(content, 'utf-8'); // what the engine scans: valid UTF-8 without a BOM
    const lower = t.time('5 toLowerCase', () => text.toLowerCase());
    const present = t.time('6 keyword includes (per keyword)', () => keywords.filter((k) => lower.includes(k)));
    const onePass = t.time('6b what-if: keywords in one RE2 pass over bytes', () => scanKeywords(content));
    if (onePass.size !== present.length) keywordMismatches++;
    for (const k of present) {
      const s = keywordFiles.get(k);
      s.files++;
      s.bytes += content.length;
    }
    if (text.length > 100_000 && text.indexOf('\n') === -1) longLineFiles++;
    const rel = relative(root, path);
    for (const rule of rules) {
      if (!rule.appliesToPath(rel) || !rule.keywords.some((k) => present.includes(k))) continue;
      const s = perRule.get(rule.info.id);
      const start = process.hrtime.bigint();
      for (const _ of rule.pattern.matches(text, rule.secretGroup)) s.matches++;
      const took = Number(process.hrtime.bigint() - start) / 1e6;
      s.ms += took;
      s.files++;
      s.bytes += content.length;
      t.totals.set('7 rule regexes (sum of rules)', (t.totals.get('7 rule regexes (sum of rules)') ?? 0) + took);
    }
    viewsA += t.time('8 base64 candidates + decoding (base64Views)', () => {
      const positions = new KeywordPositions(new KeywordScanner(keywords, decode.ENCODED_PREFIX_KEYWORDS).scan(bytesUtf8));
      return [...decode.base64Views(bytesUtf8, keywords, positions, new LineIndex(bytesUtf8))].length;
    });
    const occ = t.time('6d what-if: keyword presence + positions, one RE2 pass over the string', () => findOccurrences(text));
    if (occ.found.size !== present.length) keywordMismatchesD++;
    viewsD += t.time('8d what-if: base64Views from 6d positions', () => [...hitsBase64Views(text, occ.hits)].length);
    // What-if 7w: each rule's regex only on merged windows of ±2 KB around its keywords' hits.
    t.time('7w what-if: rule regexes on ±2 KB windows around keyword hits (6d positions)', () => {
      const lowerHits = [];
      for (let h = 0; h < occ.hits.length; h += 2) lowerHits.push([occ.hits[h], text.slice(occ.hits[h], occ.hits[h + 1]).toLowerCase()]);
      for (const rule of rules) {
        if (!rule.appliesToPath(rel)) continue;
        const windows = [];
        for (const [at, hit] of lowerHits) {
          if (!rule.keywords.some((k) => hit.includes(k))) continue;
          const w = [Math.max(0, at - 2048), Math.min(text.length, at + 2048)];
          const last = windows[windows.length - 1];
          if (last && w[0] <= last[1]) last[1] = w[1];
          else windows.push(w);
        }
        for (const [x, y] of windows) for (const _ of rule.pattern.matches(text.slice(x, y), rule.secretGroup)) windowMatches++;
      }
    });
    t.time('9 whole engine.detectUtf8 (repeats 5-8 on bytes, no decoding)', () => engine.detectUtf8({ path: rel, startLine: 1 }, bytesUtf8));
  }
  const readMs = t.totals.get('1 read (readFileSync)');
  console.log(`  ${(bytes / 1e6).toFixed(0)} MB read; ${gated} files (${(gatedBytes / 1e6).toFixed(0)} MB, ${pct(gatedBytes / bytes)} of bytes) pass the keyword gate; ${longLineFiles} of them are one-line files over 100 KB`);
  console.log(`  raw matches: whole files ${[...perRule.values()].reduce((a, r) => a + r.matches, 0)}, what-if 7w windows ${windowMatches}`);
  console.log(`  decoded views: engine ${viewsA}, what-if 8d ${viewsD}; keyword sets differing from 6: 6b ${keywordMismatches} files, 6d ${keywordMismatchesD} files`);
  const rows = [...t.totals.entries()].sort((a, b) => a[0].localeCompare(b[0]));
  for (const [name, v] of rows) {
    const over = /^[123] /.test(name) ? bytes : gatedBytes;
    console.log(`  ${ms(v)}  ${(over / 1e6 / (v / 1000)).toFixed(0).padStart(6)} MB/s  ${name}`);
  }
  console.log('\n  rules (run only where one of their keywords occurs):');
  for (const [id, s] of [...perRule.entries()].sort((a, b) => b[1].ms - a[1].ms)) {
    console.log(`  ${ms(s.ms)}  ${String(s.files).padStart(6)} files ${(s.bytes / 1e6).toFixed(0).padStart(5)} MB  ${(s.bytes / 1e6 / Math.max(s.ms / 1000, 1e-9)).toFixed(0).padStart(6)} MB/s  ${String(s.matches).padStart(6)} raw matches  ${id}`);
  }
  console.log('\n  keywords (files and MB containing each, among files that pass the gate):');
  for (const [k, s] of [...keywordFiles.entries()].sort((a, b) => b[1].bytes - a[1].bytes)) {
    console.log(`  ${String(s.files).padStart(6)} files ${(s.bytes / 1e6).toFixed(0).padStart(5)} MB  ${JSON.stringify(k)}`);
  }
  out.phases = {
    files: files.length,
    bytes,
    gatedFiles: gated,
    gatedBytes,
    phasesMs: Object.fromEntries(rows),
    readMBps: bytes / 1e6 / (readMs / 1000),
    rules: Object.fromEntries(perRule),
    keywords: Object.fromEntries(keywordFiles),
  };
}

async function main() {
  if (!existsSync(join(REPO, 'dist/bin.js'))) execFileSync('npm', ['run', 'build'], { cwd: REPO, stdio: 'inherit' });
  if (opts.git) {
    const repo = historyRepo();
    console.log(`profiling segscan git on ${repo}`);
    cpuProfile(repo, 'git');
    if (opts.json) writeFileSync(resolve(opts.json), `${JSON.stringify(out, null, 2)}\n`);
    return;
  }
  const root = treeRoot();
  console.log(`profiling on ${root}`);
  if (!opts['skip-cpu-prof']) cpuProfile(root);
  if (!opts['skip-phases']) await phases(root);
  if (opts.json) writeFileSync(resolve(opts.json), `${JSON.stringify(out, null, 2)}\n`);
}

main().catch((e) => {
  console.error(`profile: ${e.message}`);
  process.exitCode = 1;
});

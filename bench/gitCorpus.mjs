#!/usr/bin/env node
// Generates a synthetic git history (default 6,000 commits: edits, adds, deletes, feature branches
// merged back, unmerged branches, tags, planted fake keys) with `git fast-import`, then compares
// segscan's history source with `git log -p` on it: wall time and peak memory.
//
//   node bench/gitCorpus.mjs [--commits N] [--dir DIR] [--impl path/to/gitHistory.js] [--repeat 3] [--keep]
//
// --impl defaults to dist/sources/gitHistory.js (npm run build). Peak memory is sampled every
// 10 ms over the whole process tree (node + the git processes it starts), and also read from
// GNU time's max RSS (the largest single process) when /usr/bin/time exists.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const HERE = fileURLToPath(new URL('.', import.meta.url));

/** mulberry32: the corpus is the same on every run. */
function random(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const WORDS = ['const', 'return', 'value', 'user', 'event', 'track', 'identify', 'page', 'props', 'await', 'function', 'if', 'else', 'config', 'options', 'result', 'items', 'count', 'name', 'id'];

function makeCorpusWriter(rand) {
  const pick = (list) => list[Math.floor(rand() * list.length)];
  const int = (n) => Math.floor(rand() * n);
  const key = () => Array.from({ length: 32 }, () => pick(ALNUM)).join('');
  const codeLine = () => `${'  '.repeat(int(3))}${Array.from({ length: 3 + int(8) }, () => pick(WORDS)).join(' ')};`;
  const newFile = () => Array.from({ length: 20 + int(180) }, codeLine);
  return { pick, int, key, codeLine, newFile };
}

/** Stream a fast-import script for `commits` commits into `git fast-import` in `dir`. */
export async function generateGitCorpus(dir, { commits = 6000, seed = 42 } = {}) {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  git(dir, ['init', '-q', '-b', 'main']);
  const importer = spawn('git', ['fast-import', '--quiet', '--done'], { cwd: dir, stdio: ['pipe', 'inherit', 'inherit'] });
  const exited = new Promise((ok, fail) => importer.on('close', (code) => (code === 0 ? ok() : fail(new Error(`fast-import exited ${code}`)))));
  const write = (text) => (importer.stdin.write(text) ? Promise.resolve() : new Promise((ok) => importer.stdin.once('drain', ok)));
  const w = makeCorpusWriter(random(seed));

  const main = new Map(); // path -> lines
  for (let i = 0; i < 300; i++) main.set(`src/module${Math.floor(i / 20)}/file${i}.js`, w.newFile());
  let mark = 0;
  let time = 1_500_000_000;
  let made = 0;
  const marks = { main: 0 };

  const data = (text) => `data ${Buffer.byteLength(text)}\n${text}\n`;
  const commit = async (branch, message, changes, { from, merge } = {}) => {
    mark++;
    time += 600 + w.int(3000);
    let out = `commit refs/heads/${branch}\nmark :${mark}\n`;
    out += `author Bench Author <bench@example.com> ${time} +0000\ncommitter Bench Author <bench@example.com> ${time} +0000\n`;
    out += data(message);
    if (from) out += `from :${from}\n`;
    if (merge) out += `merge :${merge}\n`;
    for (const [path, lines] of changes) out += lines === null ? `D ${path}\n` : `M 100644 inline ${path}\n${data(`${lines.join('\n')}\n`)}`;
    await write(out);
    made++;
    return mark;
  };
  const edit = (lines) => {
    const copy = [...lines];
    for (let k = 0; k < 1 + w.int(4); k++) {
      const at = w.int(copy.length + 1);
      if (w.int(3) === 0 && copy.length > 5) copy.splice(at, 1);
      else copy.splice(at, w.int(2), w.codeLine());
    }
    return copy;
  };

  marks.main = await commit('main', 'initial import', [...main.entries()]);
  let branchNo = 0;
  while (made < commits) {
    if (made % 250 === 0 && made > 0 && made + 12 < commits) {
      // A feature branch with its own files, merged back (or, every fourth one, left unmerged).
      const name = `feature/${branchNo++}`;
      const own = new Map();
      let tip = marks.main;
      for (let k = 0; k < 10; k++) {
        const path = `features/${name.replace('/', '-')}/part${w.int(4)}.js`;
        own.set(path, own.has(path) ? edit(own.get(path)) : w.newFile());
        tip = await commit(name, `feature work ${k}`, [[path, own.get(path)]], { from: tip });
      }
      if (branchNo % 4 !== 0) {
        for (const [path, lines] of own) main.set(path, lines);
        marks.main = await commit('main', `Merge ${name}`, [...own.entries()], { from: marks.main, merge: tip });
      }
      continue;
    }
    const changes = [];
    const paths = [...main.keys()];
    for (let k = 0; k < 1 + w.int(3); k++) {
      const path = w.pick(paths);
      const lines = edit(main.get(path));
      main.set(path, lines);
      changes.push([path, lines]);
    }
    if (w.int(40) === 0) {
      const path = `src/new/file${made}.js`;
      main.set(path, w.newFile());
      changes.push([path, main.get(path)]);
    }
    if (w.int(60) === 0 && main.size > 50) {
      const path = w.pick(paths);
      main.delete(path);
      changes.push([path, null]);
    }
    if (made % 200 === 100) {
      // A fake key committed to a config file; half of them are removed again later.
      const path = `config/env${made}.env`;
      main.set(path, [`SEGMENT_WRITE_KEY=${w.key()}`, 'NODE_ENV=production']);
      changes.push([path, main.get(path)]);
    }
    if (made % 200 === 150 && main.has(`config/env${made - 50}.env`) && w.int(2) === 0) {
      main.delete(`config/env${made - 50}.env`);
      changes.push([`config/env${made - 50}.env`, null]);
    }
    marks.main = await commit('main', `change ${made}`, changes, { from: marks.main });
    if (made % 500 === 0) await write(`reset refs/tags/v${made / 500}\nfrom :${marks.main}\n\n`);
  }
  await write('done\n');
  importer.stdin.end();
  await exited;
  git(dir, ['repack', '-adq']);
  return { commits: made };
}

function git(cwd, args) {
  const r = spawnSync('git', args, { cwd, encoding: 'utf8', env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null' } });
  if (r.status !== 0) throw new Error(`git ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

/**
 * VmRSS and RssAnon summed over a process and its descendants, in KiB. RssAnon leaves out
 * file-backed pages (git mmaps pack files), which the kernel can drop under pressure.
 */
function treeRssKiB(rootPid) {
  const total = { rss: 0, anon: 0 };
  const pending = [rootPid];
  while (pending.length > 0) {
    const pid = pending.pop();
    try {
      const status = readFileSync(`/proc/${pid}/status`, 'utf8');
      total.rss += Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
      total.anon += Number(/RssAnon:\s+(\d+)/.exec(status)?.[1] ?? 0);
      for (const tid of readdirSync(`/proc/${pid}/task`)) {
        const children = readFileSync(`/proc/${pid}/task/${tid}/children`, 'utf8').trim();
        if (children) pending.push(...children.split(' ').map(Number));
      }
    } catch {
      // The process ended between two reads.
    }
  }
  return total;
}

/** Run a command; report wall time, sampled peak tree RSS, GNU time max RSS and its stdout. */
async function measure(label, command, args, cwd) {
  const timed = existsSync('/usr/bin/time');
  const argv = timed ? ['-f', '__MAXRSS__%M', command, ...args] : args;
  const started = process.hrtime.bigint();
  const child = spawn(timed ? '/usr/bin/time' : command, argv, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  let stdoutBytes = 0;
  child.stdout.on('data', (d) => {
    stdoutBytes += d.length;
    if (stdout.length < 4096) stdout += d;
  });
  child.stderr.on('data', (d) => (stderr += d));
  let peak = 0;
  let peakAnon = 0;
  const sampler = setInterval(() => {
    const now = treeRssKiB(child.pid);
    peak = Math.max(peak, now.rss);
    peakAnon = Math.max(peakAnon, now.anon);
  }, 10);
  const code = await new Promise((ok) => child.on('close', ok));
  clearInterval(sampler);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (code !== 0) throw new Error(`${label} failed (${code}): ${stderr}`);
  const maxRss = Number(/__MAXRSS__(\d+)/.exec(stderr)?.[1] ?? NaN);
  return { label, seconds, peakTreeMiB: peak / 1024, peakTreeAnonMiB: peakAnon / 1024, maxProcessMiB: maxRss / 1024, stdoutBytes, stdout };
}

const SOURCE_HARNESS = `
const [impl, repo] = process.argv.slice(1);
const { gitHistorySource } = await import(impl);
const source = gitHistorySource({ repo, maxFileSize: 1 << 20 });
let bytes = 0;
for await (const item of source.items()) if (item.kind === 'content') bytes += item.content.byteLength;
console.log(JSON.stringify({ ...source.stats, bytes, nodeMaxRssMiB: process.resourceUsage().maxRSS / 1024 }));
`;

// The simpler alternative: stream \`git log -p -U0\` and cut it into per-file added-line fragments.
const LOG_P_HARNESS = `
const { spawn } = await import('node:child_process');
const repo = process.argv[1];
const git = spawn('git', ['-c', 'core.quotePath=false', 'log', '-p', '-U0', '--all', '--no-color', '--no-ext-diff', '--no-textconv', '--format=commit %H'], { cwd: repo });
let fragments = 0, bytes = 0, commits = 0, current = [], rest = '';
const flush = () => { if (current.length) { fragments++; bytes += current.join('\\n').length; current = []; } };
git.stdout.setEncoding('utf8');
for await (const chunk of git.stdout) {
  const lines = (rest + chunk).split('\\n');
  rest = lines.pop();
  for (const line of lines) {
    if (line.startsWith('commit ')) { flush(); commits++; }
    else if (line.startsWith('diff --git ')) flush();
    else if (line.startsWith('+') && !line.startsWith('+++ ')) current.push(line.slice(1));
  }
}
flush();
console.log(JSON.stringify({ commits, fragments, bytes, nodeMaxRssMiB: process.resourceUsage().maxRSS / 1024 }));
`;

async function main() {
  const args = process.argv.slice(2);
  const option = (name, fallback) => {
    const i = args.indexOf(name);
    return i === -1 ? fallback : args[i + 1];
  };
  const commits = Number(option('--commits', '6000'));
  const dir = resolve(option('--dir', join(HERE, '..', '.segscan-bench', 'git-corpus')));
  const impl = pathToFileURL(resolve(option('--impl', join(HERE, '..', 'dist', 'sources', 'gitHistory.js')))).href;

  const t0 = Date.now();
  const made = await generateGitCorpus(dir, { commits });
  const objects = git(dir, ['count-objects', '-v']);
  const refs = git(dir, ['for-each-ref', '--format=x']).split('\n').length - 1;
  console.log(`corpus: ${made.commits} commits, ${refs} refs, generated in ${((Date.now() - t0) / 1000).toFixed(1)} s in ${dir}`);
  console.log(objects.split('\n').filter((l) => /^(size-pack|in-pack)/.test(l)).join(', '));

  // Each contender runs `repeat` times, interleaved; the median time and the highest peaks count.
  const repeat = Number(option('--repeat', '3'));
  const contenders = [
    ['segscan gitHistorySource (log --raw + cat-file)', process.execPath, ['--input-type=module', '-e', SOURCE_HARNESS, impl, dir]],
    ['git log -p -U0 --all (output discarded)', 'git', ['log', '-p', '-U0', '--all']],
    ['streaming git log -p -U0 --all parsed in node', process.execPath, ['--input-type=module', '-e', LOG_P_HARNESS, dir]],
  ];
  const results = contenders.map(() => []);
  for (let round = 0; round < repeat; round++) {
    for (const [i, [label, command, argv]] of contenders.entries()) results[i].push(await measure(label, command, argv, dir));
  }
  for (const runs of results) {
    const seconds = runs.map((r) => r.seconds).sort((a, b) => a - b)[Math.floor(runs.length / 2)];
    const peakTree = Math.max(...runs.map((r) => r.peakTreeMiB));
    const peakAnon = Math.max(...runs.map((r) => r.peakTreeAnonMiB));
    const peakProcess = Math.max(...runs.map((r) => r.maxProcessMiB));
    const last = runs[runs.length - 1];
    const detail = last.stdout.trim().startsWith('{') ? ` ${last.stdout.trim()}` : ` (stdout ${(last.stdoutBytes / 1048576).toFixed(1)} MiB)`;
    console.log(`${last.label}: median ${seconds.toFixed(2)} s of ${runs.length}, peak tree RSS ${peakTree.toFixed(0)} MiB (anonymous ${peakAnon.toFixed(0)} MiB), max single-process RSS ${peakProcess.toFixed(0)} MiB;${detail}`);
  }
  if (!args.includes('--keep')) rmSync(dir, { recursive: true, force: true });
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((error) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}

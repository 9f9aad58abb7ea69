// The history corpus: bench/gitCorpus.mjs (the git source's generator: 6,000 commits of churn,
// feature branches merged and unmerged, tags, write keys in .env files, half later deleted),
// then a second fast-import pass that plants every credential kind in every context of
// plants.mjs: in new files and inside existing files, on main, on a merged release branch and on
// an unmerged branch, some removed again a few commits later. The manifest names, for each key,
// the commit that introduced it, its path and its line in that version; the .env keys of
// gitCorpus.mjs are read back from the repository (their place is fixed by construction: line 1
// of config/env<N>.env, in the commit that added the file).
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureBuilt, versionOf } from './cache.mjs';
import { CONTEXTS, credentialsFor } from './plants.mjs';
import { TextGen } from './textGen.mjs';
import { manifestEntry } from './treeCorpus.mjs';

const GENERATOR = fileURLToPath(new URL('../gitCorpus.mjs', import.meta.url));
const PLANTER_VERSION = 2;
const BASE_COMMITS = 6000;
const GIT_ENV = { ...process.env, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null' };

function git(cwd, args, input) {
  const r = spawnSync('git', args, { cwd, encoding: 'utf8', env: GIT_ENV, input, maxBuffer: 256 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`git ${args.slice(0, 3).join(' ')}: ${r.stderr.trim().split('\n')[0]}`);
  return r.stdout;
}

export function historySpec(scale) {
  const generator = existsSync(GENERATOR) ? createHash('sha256').update(readFileSync(GENERATOR)).digest('hex').slice(0, 12) : 'missing';
  return { corpus: 'history', generator, planter: PLANTER_VERSION, commits: BASE_COMMITS * scale, contexts: CONTEXTS.length, scale };
}

/** The .env keys gitCorpus.mjs plants: line 1 of each config/env<N>.env, in the commit that added it. */
function generatorPlants(repo, tools) {
  const out = git(repo, ['log', '--all', '--diff-filter=A', '--format=commit %H', '--name-only', '--', 'config/']);
  const plants = [];
  let commit;
  for (const line of out.split('\n')) {
    if (line.startsWith('commit ')) commit = line.slice(7);
    else if (/^config\/env\d+\.env$/.test(line)) {
      const first = git(repo, ['show', `${commit}:${line}`]).split('\n')[0];
      const m = /^SEGMENT_WRITE_KEY=([A-Za-z0-9]{32})$/.exec(first);
      if (!m) continue;
      const entry = manifestEntry(line, 1, 'SEGMENT_WRITE_KEY='.length + 1, { kind: 'write-key', context: 'gitCorpus .env', encoded: false, secret: m[1] }, tools);
      plants.push({ ...entry, commit });
    }
  }
  return plants;
}

/**
 * Append planting commits with fast-import. Returns manifest entries with fast-import marks in
 * place of commit ids (resolved after the import from the exported marks).
 */
async function plantCommits(repo, scale, tools) {
  const gen = new TextGen(tools.seededRandom(`segscan-bench-history-${scale}`));
  const existing = git(repo, ['ls-tree', '-r', '--name-only', 'main']).split('\n').filter((p) => p.endsWith('.js'));
  const files = new Map(); // path on main -> lines, read lazily
  const read = (path) => {
    if (!files.has(path)) files.set(path, git(repo, ['show', `main:${path}`]).replace(/\n$/, '').split('\n'));
    return files.get(path);
  };
  const headTime = Number(git(repo, ['log', '-1', '--format=%ct', 'main']).trim());
  let time = headTime;
  let mark = 0;
  let script = '';
  const data = (text) => `data ${Buffer.byteLength(text)}\n${text}\n`;
  const commit = (branch, message, changes, { from, merge } = {}) => {
    mark++;
    time += 900 + gen.int(0, 3600);
    script += `commit refs/heads/${branch}\nmark :${mark}\nauthor Plant Author <plant@example.com> ${time} +0000\ncommitter Plant Author <plant@example.com> ${time} +0000\n${data(message)}`;
    if (from) script += `from ${from}\n`;
    if (merge) script += `merge ${merge}\n`;
    for (const [path, lines] of changes) script += lines === null ? `D ${path}\n` : `M 100644 inline ${path}\n${data(`${lines.join('\n')}\n`)}`;
    return mark;
  };
  const ext = { env: '.env', 'env-example': '.env', ts: '.ts', json: '.json', yaml: '.yaml', k8s: '.yaml', md: '.md', html: '.html', tf: '.tf', py: '.py', go: '.go', rb: '.rb', java: '.java', minified: '.min.js' };
  const plants = [];
  const removals = [];
  let first = true;
  let n = 0;
  const branchTips = { main: undefined, 'release/plants': undefined, 'experiment/keys': undefined };
  for (let round = 0; round < 2 * scale; round++) {
    for (const context of CONTEXTS) {
      const plant = context.make(credentialsFor(`segscan-bench-history-${scale}-${n++}`, tools.fakeCredentials));
      // Most plants land on main; every fifth on a release branch merged later, every seventh on an unmerged branch.
      const branch = n % 7 === 0 ? 'experiment/keys' : n % 5 === 0 ? 'release/plants' : 'main';
      let path;
      let lines;
      let line;
      if (context.dest !== 'minified' && context.dest !== 'k8s' && gen.chance(0.5)) {
        // Inside an existing source file: the key is added by an edit, and the file changes again later.
        path = gen.pick(existing);
        const before = read(path);
        const at = gen.int(1, before.length);
        lines = [...before.slice(0, at), ...plant.lines, ...before.slice(at)];
        line = at + plant.line + 1;
      } else {
        path = `planted/${gen.word()}-${n}/${context.dest === 'env' ? '.env' : `file${ext[context.dest] ?? '.txt'}`}`;
        const filler = context.dest === 'minified' ? [] : gen.markdown(gen.int(500, 4000)).map((l) => l.replace(/^#/, '//'));
        const at = gen.int(0, filler.length);
        lines = [...filler.slice(0, at), ...plant.lines, ...filler.slice(at)];
        line = at + plant.line + 1;
      }
      const from = first ? 'refs/heads/main^0' : branchTips[branch] === undefined ? `:${branchTips.main ?? mark}` : undefined;
      first = false;
      const m = commit(branch, `${gen.sentence(3, 8)}`, [[path, lines]], from ? { from } : {});
      branchTips[branch] = m;
      if (branch === 'main') files.set(path, lines);
      plants.push({ ...manifestEntry(path, line, plant.column0 + 1, plant, tools), mark: m });
      if (branch === 'main' && gen.chance(0.4)) removals.push({ path, plantLines: plant.lines });
      // Filler churn between plants: insertions into files on main (planted ones included; the
      // manifest points at the introducing commit, so later versions may move the key's line).
      for (let k = gen.int(1, 3); k > 0; k--) {
        const p = gen.chance(0.2) && branch === 'main' ? path : gen.pick(existing);
        const next = [...read(p)];
        next.splice(gen.int(0, next.length), 0, gen.statement(''));
        files.set(p, next);
        branchTips.main = commit('main', gen.sentence(2, 6), [[p, next]], branchTips.main === undefined ? { from: 'refs/heads/main^0' } : {});
      }
      if (removals.length > 3 && gen.chance(0.5)) {
        // The key is removed again: a planted file deleted, or the planted lines edited out.
        const { path: p, plantLines } = removals.shift();
        let change = null;
        if (!p.startsWith('planted/')) {
          const cur = read(p);
          const at = cur.findIndex((_, i) => plantLines.every((l, j) => cur[i + j] === l));
          change = at < 0 ? cur : [...cur.slice(0, at), ...cur.slice(at + plantLines.length)];
          files.set(p, change);
        } else files.delete(p);
        branchTips.main = commit('main', 'Remove leaked credential', [[p, change]]);
      }
    }
    if (branchTips['release/plants'] !== undefined) {
      branchTips.main = commit('main', 'Merge release/plants', [], { merge: `:${branchTips['release/plants']}` });
    }
  }
  script += 'done\n';
  const marksFile = join(repo, '.git', 'bench-plant-marks');
  await new Promise((ok, fail) => {
    const p = spawn('git', ['fast-import', '--quiet', '--done', `--export-marks=${marksFile}`], { cwd: repo, env: GIT_ENV, stdio: ['pipe', 'inherit', 'inherit'] });
    p.on('close', (code) => (code === 0 ? ok() : fail(new Error(`fast-import (plants) exited ${code}`))));
    p.stdin.end(script);
  });
  const marks = new Map(readFileSync(marksFile, 'utf8').trim().split('\n').map((l) => l.split(' ')).map(([m, sha]) => [Number(m.slice(1)), sha]));
  rmSync(marksFile);
  return plants.map(({ mark: m, ...p }) => ({ ...p, commit: marks.get(m) }));
}

async function buildHistory(dir, scale, { log, tools }) {
  if (!existsSync(GENERATOR)) throw new Error('bench/gitCorpus.mjs (the history generator) is missing');
  const { generateGitCorpus } = await import(GENERATOR);
  const repo = join(dir, 'repo');
  log(`generating ${BASE_COMMITS * scale} commits with bench/gitCorpus.mjs`);
  await generateGitCorpus(repo, { commits: BASE_COMMITS * scale, seed: 42 + scale });
  log('planting keys of every kind');
  const plants = [...generatorPlants(repo, tools), ...(await plantCommits(repo, scale, tools))];
  git(repo, ['repack', '-adq']);
  git(repo, ['gc', '-q', '--prune=now']);
  const commits = Number(git(repo, ['rev-list', '--all', '--count']).trim());
  const blobs = Number(git(repo, ['cat-file', '--batch-all-objects', '--batch-check=%(objecttype)']).split('\n').filter((t) => t === 'blob').length);
  const refs = git(repo, ['for-each-ref', '--format=%(refname)']).trim().split('\n').length;
  const packKb = Number(/size-pack: (\d+)/.exec(git(repo, ['count-objects', '-v']))?.[1] ?? 0);
  const logBytes = spawnSync('bash', ['-c', 'git log -p -U0 --all | wc -c'], { cwd: repo, encoding: 'utf8' }).stdout.trim();
  writeFileSync(join(dir, 'manifest.json'), `${JSON.stringify({ spec: historySpec(scale), commits, blobs, refs, packMB: packKb / 1024, logPatchMB: Number(logBytes) / 1e6, plants }, null, 1)}\n`);
  log(`history corpus: ${commits} commits, ${blobs} blobs, ${refs} refs, ${plants.length} planted keys`);
}

/** Build (once) and describe the history corpus at this scale. */
export async function historyCorpus(cache, scale, { log, tools, results }) {
  const spec = historySpec(scale);
  const dir = join(cache, `history-x${scale}-${versionOf(spec)}`);
  await ensureBuilt(dir, 'manifest.json', (tmp) => buildHistory(tmp, scale, { log, tools }), log);
  const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
  const { plants, ...facts } = manifest;
  results.corpora[`history-x${scale}`] = { dir: join(dir, 'repo'), ...facts, planted: plants.length };
  return { dir, repo: join(dir, 'repo'), plants, scale };
}

/** History findings must name the introducing commit too. */
export function historyRecallKey(x) {
  return `${x.path}\0${x.line}\0${x.secretHash}\0${x.commit}`;
}

/**
 * A work tree of the history corpus with one file changed and staged: a key appended to a
 * source file (so the staged scan's recall is checked too). Idempotent: reset, then re-applied.
 */
export function prepareStagedChange(history, log, tools) {
  const work = join(history.dir, 'staged-work');
  if (!existsSync(join(work, '.git'))) {
    log('cloning the history corpus for the staged scan');
    git(history.dir, ['clone', '-q', '--no-hardlinks', history.repo, work]);
  }
  git(work, ['reset', '-q', '--hard', 'HEAD']);
  const target = git(work, ['ls-files', 'src/']).split('\n').filter(Boolean).sort()[0];
  const text = readFileSync(join(work, target), 'utf8');
  const plant = CONTEXTS.find((c) => c.dest === 'ts').make(credentialsFor('segscan-bench-staged', tools.fakeCredentials));
  const lines = text.replace(/\n$/, '').split('\n');
  const at = Math.floor(lines.length / 2);
  const changed = [...lines.slice(0, at), '  const extra = compute(value);', ...plant.lines, ...lines.slice(at)];
  writeFileSync(join(work, target), `${changed.join('\n')}\n`);
  git(work, ['add', target]);
  const tracked = git(work, ['ls-files']).split('\n').filter(Boolean).length;
  return {
    worktree: work,
    description: `${tracked} tracked files`,
    plants: [manifestEntry(target, at + 2 + plant.line, plant.column0 + 1, plant, tools)],
  };
}

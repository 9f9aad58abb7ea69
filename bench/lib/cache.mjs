// Where corpora live: outside the repository, keyed by a version string so a change to a
// generator builds a new corpus instead of measuring a stale one. A corpus is built in a
// temporary sibling folder and renamed into place, so an interrupted build is never reused.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve, sep } from 'node:path';

export function cacheRoot(env = process.env) {
  const base = env.SEGSCAN_BENCH_CACHE ?? join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'segscan-bench');
  return resolve(base);
}

/** Refuse a cache inside the repository: corpora are hundreds of MB and must never be committed. */
export function assertOutside(dir, repoRoot) {
  const d = resolve(dir) + sep;
  const r = resolve(repoRoot) + sep;
  if (d.startsWith(r)) throw new Error(`bench cache ${dir} is inside the repository ${repoRoot}; set XDG_CACHE_HOME or SEGSCAN_BENCH_CACHE elsewhere`);
}

export function versionOf(spec) {
  return createHash('sha256').update(JSON.stringify(spec)).digest('hex').slice(0, 12);
}

/**
 * Return `dir` once it holds a complete corpus, building it with `build(tmpDir)` if needed.
 * `marker` is the file a complete build writes last.
 */
export async function ensureBuilt(dir, marker, build, log) {
  if (existsSync(join(dir, marker))) return { dir, built: false };
  const tmp = `${dir}.tmp-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  const started = Date.now();
  await build(tmp);
  if (!existsSync(join(tmp, marker))) throw new Error(`corpus build in ${tmp} did not write ${marker}`);
  rmSync(dir, { recursive: true, force: true });
  renameSync(tmp, dir);
  log?.(`built ${dir} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return { dir, built: true };
}

/** Leftovers of interrupted builds (`*.tmp-<pid>` of dead processes) are removed. */
export function removeStaleBuilds(root) {
  if (!existsSync(root)) return;
  for (const name of readdirSync(root)) {
    const m = /\.tmp-(\d+)$/.exec(name);
    if (!m) continue;
    let alive = false;
    try {
      process.kill(Number(m[1]), 0);
      alive = true;
    } catch {
      alive = false;
    }
    if (!alive) rmSync(join(root, name), { recursive: true, force: true });
  }
}

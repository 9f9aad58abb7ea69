// The trust model's one question about a file: does it lie in the tree being scanned? What the
// scanned tree holds (its .segscan.yaml, its baseline, its comments) may only narrow a scan, and
// the report says when it does; what lies outside it, named by the invoker, is policy.
import { existsSync, realpathSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import type { ScanMode } from '../types.js';

/** The repository holding `path` (the nearest directory with a `.git` entry), if any. */
export function enclosingRepository(path: string): string | undefined {
  let dir = startDirectory(path);
  for (;;) {
    if (existsSync(join(dir, '.git'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

function startDirectory(path: string): string {
  try {
    return statSync(path).isDirectory() ? path : dirname(path);
  } catch {
    return dirname(path);
  }
}

/**
 * The trees a scan reads content from: each scanned path's repository, or the path itself outside
 * one. Standard input has no tree on disk; the working directory's repository stands for it, since
 * that is where a config for it would be found.
 */
export function scannedTrees(mode: ScanMode, args: object, cwd: string): string[] {
  const { paths, repo } = args as { paths?: unknown; repo?: unknown };
  const starts =
    mode === 'dir' && Array.isArray(paths) && paths.length > 0
      ? paths.map((p) => resolve(cwd, String(p)))
      : mode !== 'stdin' && typeof repo === 'string'
        ? [resolve(cwd, repo)]
        : [cwd];
  return starts.map((start) => enclosingRepository(start) ?? startDirectory(start));
}

function real(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return resolve(path);
  }
}

/** Is `path` (after following symlinks) inside one of `trees`? */
export function isInsideTrees(path: string, trees: readonly string[]): boolean {
  const target = real(path);
  return trees.some((tree) => {
    const rel = relative(real(tree), target);
    return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
  });
}

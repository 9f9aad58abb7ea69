// A pull request's scan takes its policy from the base commit: `.segscan.yaml` and the baseline
// as they were before the range, so the range cannot silence itself by editing them. Files are
// read from git's object store (no working tree), only as regular blobs, and only up to a limit.
import { runGit } from '../sources/gitCommand.js';
import { CONFIG_FILE_NAMES } from './discover.js';

export interface RevisionFile {
  /** Path from the repository root. */
  path: string;
  text: string;
  blob: string;
}

/** The range's two ends as git names them: `A..B`, `A...B`, `A..` (HEAD), `..B` (from HEAD). */
export function rangeEnds(range: string): { base: string; head: string } {
  const [base = '', head = ''] = range.split(/\.{2,3}/, 2);
  return { base: base || 'HEAD', head: head || 'HEAD' };
}

interface TreeEntry {
  mode: string;
  blob: string;
  size: number;
}

/** `path`'s entries in `revision`'s tree (from the root), by path; absent paths are missing. */
async function treeEntries(repo: string, revision: string, paths: readonly string[], signal?: AbortSignal): Promise<Map<string, TreeEntry>> {
  const { stdout } = await runGit(repo, ['ls-tree', '-z', '-l', '--full-tree', '--end-of-options', revision, '--', ...paths], { signal });
  const entries = new Map<string, TreeEntry>();
  for (const record of stdout.split('\0')) {
    const match = /^(\d+) (\w+) ([0-9a-f]+) +(\d+|-)\t(.*)$/s.exec(record);
    if (!match || match[2] !== 'blob') continue;
    entries.set(match[5] ?? '', { mode: match[1] ?? '', blob: match[3] ?? '', size: Number(match[4]) });
  }
  return entries;
}

export type RevisionRead = { found: RevisionFile } | { missing: true } | { refused: string };

/** One file as it is in `revision`: refused when it is a symlink or larger than `maxBytes`. */
export async function readAtRevision(repo: string, revision: string, path: string, maxBytes: number, signal?: AbortSignal): Promise<RevisionRead> {
  const entry = (await treeEntries(repo, revision, [path], signal)).get(path);
  if (!entry) return { missing: true };
  if (entry.mode !== '100644' && entry.mode !== '100755') return { refused: `${path} at ${short(revision)} is not a regular file` };
  if (entry.size > maxBytes) return { refused: `${path} at ${short(revision)} is too large (limit ${maxBytes} bytes)` };
  const { stdout } = await runGit(repo, ['cat-file', 'blob', entry.blob], { signal });
  return { found: { path, text: stdout, blob: entry.blob } };
}

/** The config file of the repository root in `revision`, if it has one. */
export async function configAtRevision(repo: string, revision: string, maxBytes: number, signal?: AbortSignal): Promise<RevisionRead> {
  const entries = await treeEntries(repo, revision, CONFIG_FILE_NAMES, signal);
  const name = CONFIG_FILE_NAMES.find((n) => entries.has(n));
  return name === undefined ? { missing: true } : readAtRevision(repo, revision, name, maxBytes, signal);
}

/** Does the file differ between the two revisions (added, removed or changed)? */
export async function changedBetween(repo: string, base: string, head: string, path: string, signal?: AbortSignal): Promise<boolean> {
  const [before, after] = await Promise.all([treeEntries(repo, base, [path], signal), treeEntries(repo, head, [path], signal)]);
  return before.get(path)?.blob !== after.get(path)?.blob;
}

export function short(revision: string): string {
  return /^[0-9a-f]{40,64}$/.test(revision) ? revision.slice(0, 7) : revision;
}

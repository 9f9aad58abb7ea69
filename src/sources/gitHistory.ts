// The git history source: every blob reachable in the selected history, read once, attributed to
// the first (commit, path) that introduced it. `git log --raw` names the blobs (no textual diffs),
// `git cat-file --batch-check` sizes them and `git cat-file --batch` streams the ones worth reading.
// A bounded window of in-flight blobs keeps memory flat however long the history is; only the set
// of seen blob ids grows, at ~30 bytes per blob.

import type { CommitInfo, Source, SourceItem, SkippedItem } from '../types.js';
import { InputError, UsageError } from '../errors.js';
import { runGit } from './gitCommand.js';
import { walkCommits, type TreeChange } from './gitLog.js';
import { ObjectIdSet } from './gitObjectIdSet.js';
import { openObjectReader, type GitObjectReader } from './gitObjectReader.js';
import { GITLINK_MODE, SYMLINK_MODE, isNullId } from './gitRawDiff.js';

export interface GitHistoryOptions {
  repo: string;
  /** Limit the walk to these branches (or any revisions); default: all refs. */
  branches?: readonly string[];
  /** Only commits newer than this (anything `git log --since` accepts). */
  since?: string;
  /** `A..B`: only what B adds over A. */
  range?: string;
  maxFileSize: number;
  includePath?: (path: string) => boolean;
}

export interface GitHistoryStats {
  /** Commits walked. */
  commits: number;
  /** Blobs yielded for scanning (as raw content). */
  blobs: number;
  /** Oversized blobs, symlinks and gitlinks yielded as skipped items (binary content is skipped by the scanner). */
  skipped: number;
}

export interface GitHistorySource extends Source {
  /** Counters of the current (or last) iteration, updated as items are yielded. */
  readonly stats: GitHistoryStats;
}

/** How many blobs may be requested from git before the consumer takes the oldest. */
const IN_FLIGHT_BLOBS = 128;
/** How many bytes of blob content may be read ahead of the consumer (one larger blob may exceed it). */
const READ_AHEAD_BYTES = 32 * 1024 * 1024;

export function gitHistorySource(options: GitHistoryOptions): GitHistorySource {
  const revisions = revisionArguments(options);
  const stats: GitHistoryStats = { commits: 0, blobs: 0, skipped: 0 };
  return {
    stats,
    items: (signal) => {
      Object.assign(stats, { commits: 0, blobs: 0, skipped: 0 });
      return historyItems(options, revisions, stats, signal);
    },
  };
}

/** Check user-supplied revisions up front: a value starting with `-` would be read as an option. */
export function revisionArguments(options: Pick<GitHistoryOptions, 'branches' | 'since' | 'range'>): string[] {
  const branches = options.branches ?? [];
  if (options.range !== undefined && branches.length > 0) throw new UsageError('--range cannot be combined with --branch');
  for (const revision of [...branches, ...(options.range === undefined ? [] : [options.range])]) {
    if (revision === '' || revision.startsWith('-') || /[\0\n]/.test(revision)) throw new UsageError(`not a revision: '${revision}'`);
  }
  if (options.range !== undefined && !options.range.includes('..')) throw new UsageError(`--range must look like A..B, got '${options.range}'`);
  const selected = options.range !== undefined ? [options.range] : branches.length > 0 ? [...branches] : [];
  const since = options.since === undefined ? [] : [`--since=${options.since}`];
  return selected.length > 0 ? [...since, '--end-of-options', ...selected] : [...since, '--all'];
}

async function* historyItems(
  options: GitHistoryOptions,
  revisions: readonly string[],
  stats: GitHistoryStats,
  signal: AbortSignal | undefined,
): AsyncGenerator<SourceItem, void, undefined> {
  const partialClone = await isPartialClone(options.repo, signal);
  const reader = openObjectReader(options.repo, signal);
  const seen = new ObjectIdSet();
  // Oldest first; each entry settles to the items for one blob, in the order blobs were found.
  const window: Array<Promise<SourceItem[]>> = [];
  const budget = new ByteBudget(READ_AHEAD_BYTES);
  const context = { options, reader, partialClone, budget };
  try {
    for await (const { commit, changes } of walkCommits(options.repo, revisions, signal)) {
      stats.commits++;
      for (const change of changes) {
        if (!isIntroduction(change, options, seen)) continue;
        const items = blobItems(context, change, commit);
        items.catch(() => {}); // rejections are rethrown when the window reaches this entry
        window.push(items);
        if (window.length >= IN_FLIGHT_BLOBS) yield* count(await window.shift()!, stats, budget);
      }
    }
    while (window.length > 0) yield* count(await window.shift()!, stats, budget);
    await reader.close();
  } finally {
    reader.kill();
  }
}

/** True the first time a blob (or gitlink) id shows up at a path the caller wants scanned. */
function isIntroduction(change: TreeChange, options: GitHistoryOptions, seen: ObjectIdSet): boolean {
  if (isNullId(change.id)) return false; // deletion
  if (seen.has(change.id)) return false;
  // A blob first seen at an excluded path may still be introduced later at an included one.
  if (options.includePath && !options.includePath(change.path)) return false;
  seen.add(change.id);
  return true;
}

function* count(items: SourceItem[], stats: GitHistoryStats, budget: ByteBudget): Generator<SourceItem> {
  for (const item of items) {
    if (item.kind === 'content') {
      stats.blobs++;
      budget.release(item.content.byteLength);
    }
    if (item.kind === 'skipped') stats.skipped++;
    yield item;
  }
}

/**
 * Bounds the bytes read ahead of the consumer. Grants are first come, first served, and blobs ask
 * in window order, so the oldest blob never waits for a younger one: no deadlock, and a blob larger
 * than the whole budget is read once nothing else is held.
 */
class ByteBudget {
  private used = 0;
  private readonly waiting: Array<{ size: number; grant: () => void }> = [];

  constructor(private readonly limit: number) {}

  acquire(size: number): Promise<void> {
    if (this.waiting.length === 0 && this.fits(size)) {
      this.used += size;
      return Promise.resolve();
    }
    return new Promise((grant) => this.waiting.push({ size, grant }));
  }

  release(size: number): void {
    this.used -= size;
    while (this.waiting[0] && this.fits(this.waiting[0].size)) {
      const next = this.waiting.shift()!;
      this.used += next.size;
      next.grant();
    }
  }

  private fits(size: number): boolean {
    return this.used === 0 || this.used + size <= this.limit;
  }
}

interface BlobContext {
  options: GitHistoryOptions;
  reader: GitObjectReader;
  partialClone: boolean;
  budget: ByteBudget;
}

async function blobItems({ options, reader, partialClone, budget }: BlobContext, change: TreeChange, commit: CommitInfo): Promise<SourceItem[]> {
  const skip = (reason: SkippedItem['reason'], detail: string, size?: number): SourceItem[] => [
    { kind: 'skipped', item: { path: change.path, reason, detail, ...(size === undefined ? {} : { size }), commit: commit.sha } },
  ];
  if (change.mode === GITLINK_MODE) return skip('submodule', `submodule commit ${change.id}`);
  if (change.mode === SYMLINK_MODE) return skip('symlink', `symbolic link (blob ${change.id})`);
  const info = await reader.info(change.id);
  if (!info && partialClone) return skip('unreadable', `blob ${change.id} is not present in this partial clone`);
  if (!info) throw new InputError(`git object ${change.id} is corrupt or missing in ${options.repo}: run git fsck`);
  if (info.size > options.maxFileSize) {
    return skip('too-large', `blob ${change.id} is ${info.size} bytes, over the ${options.maxFileSize}-byte limit`, info.size);
  }
  await budget.acquire(info.size);
  const content = await reader.read(change.id);
  if (!content) throw new InputError(`git object ${change.id} is corrupt or missing in ${options.repo}: run git fsck`);
  // Raw bytes: the scanner sniffs the encoding, skips binary content and checks for keywords
  // before it pays for decoding, which most blobs of a history never need.
  return [{ kind: 'content', content, origin: { path: change.path, startLine: 1, blob: change.id, commit } }];
}

async function isPartialClone(repo: string, signal: AbortSignal | undefined): Promise<boolean> {
  const { stdout } = await runGit(repo, ['config', '--get', 'extensions.partialclone'], { signal, okExitCodes: [0, 1] });
  return stdout.trim() !== '';
}

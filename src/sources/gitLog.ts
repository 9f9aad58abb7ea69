// Walks history as tree changes, oldest first, parents before children: one streamed
// `git log --raw -z` with no textual diffs and no commit metadata (authors, dates and subjects are
// looked up afterwards for the few commits that findings point at: gitCommitDetails.ts). Merges
// use combined raw output (`-c`), which lists exactly the paths whose result differs from every
// parent, so a conflict resolution that writes new text is seen while content merely carried over
// from a parent is not repeated.

import { isObjectId, parseRawEntry, type RawEntry } from './gitRawDiff.js';

/**
 * A path and its blob (or gitlink): a change in one commit (a deletion has the all-zero id), or a
 * file that a ref reaches without a commit (gitRefObjects.ts).
 */
export interface TreeChange {
  path: string;
  mode: string;
  id: string;
}

export interface CommitChanges {
  /** The commit's full id. */
  sha: string;
  changes: TreeChange[];
}

/** Each commit starts with its full id and a NUL. (Its metadata would make the log a third longer.) */
const HEADER_FORMAT = '%H';

/** `revisions` are git log arguments selecting commits (`--all`, names, a range, `--since=`). */
export function logArguments(revisions: readonly string[]): string[] {
  return [
    'log', '--raw', '-z', '-r', '-c', '--root', '--no-abbrev', '--no-renames',
    '--no-textconv', '--no-ext-diff', '--no-color', '--no-notes', '--encoding=UTF-8',
    '--reverse', '--date-order', `--format=${HEADER_FORMAT}`,
    ...revisions, '--',
  ];
}

/**
 * A push parser for the `git log` output of `logArguments`: bytes in, one callback per commit with
 * its changes, synchronously (a history of millions of entries costs no promise per token). A commit
 * is complete when the next header starts or the stream ends.
 */
export class RawLogParser {
  private rest: Buffer | undefined;
  private state: 'header' | 'entries' | 'paths' = 'header';
  private sha: string | undefined;
  private changes: TreeChange[] = [];
  private entry: RawEntry | undefined;
  private pathsLeft = 0;

  constructor(private readonly onCommit: (commit: CommitChanges) => void) {}

  push(chunk: Buffer): void {
    let data = chunk;
    if (this.rest) {
      data = Buffer.concat([this.rest, chunk]);
      this.rest = undefined;
    }
    const lastNul = data.lastIndexOf(0);
    if (lastNul !== -1) {
      // One decode per chunk, then a split: NUL never occurs inside a UTF-8 sequence, so this
      // yields the same tokens as decoding each one, at a fraction of the cost (a history has
      // millions of tokens).
      const tokens = data.toString('utf8', 0, lastNul).split('\0');
      for (const token of tokens) this.token(token);
    }
    // Copied: a view would pin the whole chunk until the token ends.
    if (lastNul + 1 < data.length) this.rest = Buffer.from(data.subarray(lastNul + 1));
  }

  /** The stream ended: emit the last commit, or throw when it stopped part way. */
  end(): void {
    if (this.rest) {
      this.token(this.rest.toString('utf8'));
      this.rest = undefined;
    }
    if (this.state === 'paths') throw new LogFormatError('a path');
    this.emit();
  }

  private token(token: string): void {
    if (this.state === 'paths') {
      if (--this.pathsLeft > 0) return; // a rename's source path; the destination follows
      const { mode, id } = this.entry!;
      this.changes.push({ path: token, mode, id });
      this.entry = undefined;
      this.state = 'entries';
      return;
    }
    // git puts a newline before the first entry and may emit empty tokens between commits.
    const text = token.length > 0 && token.charCodeAt(0) === 0x0a ? token.slice(1) : token;
    if (this.state === 'entries') {
      if (text === '') return;
      if (text.charCodeAt(0) === 0x3a /* : */) {
        const entry = parseRawEntry(text);
        if (!entry) throw new LogFormatError('a raw diff entry');
        this.entry = entry;
        this.pathsLeft = entry.pathCount;
        this.state = 'paths';
        return;
      }
      this.emit();
      this.state = 'header';
    }
    if (text === '') return; // before the first commit
    if (!isObjectId(text)) throw new LogFormatError('a commit header');
    this.sha = text;
    this.state = 'entries';
  }

  private emit(): void {
    if (this.sha === undefined) return;
    this.onCommit({ sha: this.sha, changes: this.changes });
    this.sha = undefined;
    this.changes = [];
  }
}

/** The log output did not have the expected shape; `expected` says what was due. */
export class LogFormatError extends Error {
  constructor(readonly expected: string) {
    super(`expected ${expected}`);
  }
}

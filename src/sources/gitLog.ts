// Walks history as tree changes, oldest first, parents before children: one streamed
// `git log --raw -z` with no textual diffs. Merges use combined raw output (`-c`), which lists
// exactly the paths whose result differs from every parent, so a conflict resolution that writes
// new text is seen while content merely carried over from a parent is not repeated.

import type { CommitInfo } from '../types.js';
import { parseRawEntry, type RawEntry } from './gitRawDiff.js';

export interface TreeChange extends RawEntry {
  path: string;
}

export interface CommitChanges {
  commit: CommitInfo;
  changes: TreeChange[];
}

/** Header fields, each followed by NUL: full sha, author name, email, ISO date, subject. */
const HEADER_FORMAT = '%H%x00%an%x00%ae%x00%aI%x00%s';
const HEADER_FIELDS = 5;
const COMMIT_ID = /^[0-9a-f]{40}([0-9a-f]{24})?$/;

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
  private fields: string[] = [];
  private commit: CommitInfo | undefined;
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
    let start = 0;
    for (let nul = data.indexOf(0, start); nul !== -1; nul = data.indexOf(0, start)) {
      this.token(data.toString('utf8', start, nul));
      start = nul + 1;
    }
    // Copied: a view would pin the whole chunk until the token ends.
    if (start < data.length) this.rest = Buffer.from(data.subarray(start));
  }

  /** The stream ended: emit the last commit, or throw when it stopped part way. */
  end(): void {
    if (this.rest) {
      this.token(this.rest.toString('utf8'));
      this.rest = undefined;
    }
    if (this.state === 'paths') throw new LogFormatError('a path');
    if (this.state === 'header' && this.fields.length > 0) throw new LogFormatError('a commit header');
    this.emit();
  }

  private token(token: string): void {
    if (this.state === 'paths') {
      if (--this.pathsLeft > 0) return; // a rename's source path; the destination follows
      this.changes.push({ ...this.entry!, path: token });
      this.entry = undefined;
      this.state = 'entries';
      return;
    }
    // git puts a newline before the first entry and may emit empty tokens between commits.
    const text = token.charCodeAt(0) === 0x0a ? token.slice(1) : token;
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
    this.fields.push(this.fields.length === 0 ? text : token);
    if (this.fields.length < HEADER_FIELDS) return;
    const [sha = '', authorName = '', authorEmail = '', date = '', subject = ''] = this.fields;
    this.fields = [];
    if (!COMMIT_ID.test(sha)) throw new LogFormatError('a commit header');
    this.commit = { sha, authorName, authorEmail, date, subject };
    this.state = 'entries';
  }

  private emit(): void {
    if (!this.commit) return;
    this.onCommit({ commit: this.commit, changes: this.changes });
    this.commit = undefined;
    this.changes = [];
  }
}

/** The log output did not have the expected shape; `expected` says what was due. */
export class LogFormatError extends Error {
  constructor(readonly expected: string) {
    super(`expected ${expected}`);
  }
}

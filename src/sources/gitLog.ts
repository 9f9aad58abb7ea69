// Walks history as tree changes, oldest first, parents before children: one streamed
// `git log --raw -z` with no textual diffs. Merges use combined raw output (`-c`), which lists
// exactly the paths whose result differs from every parent, so a conflict resolution that writes
// new text is seen while content merely carried over from a parent is not repeated.

import type { CommitInfo } from '../types.js';
import { InputError } from '../errors.js';
import { streamGit } from './gitCommand.js';
import { nulTokens, parseRawEntry, type RawEntry } from './gitRawDiff.js';

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

export async function* walkCommits(repo: string, revisions: readonly string[], signal?: AbortSignal): AsyncGenerator<CommitChanges, void, undefined> {
  const tokens = nulTokens(streamGit(repo, logArguments(revisions), { signal }))[Symbol.asyncIterator]();
  const next = async (): Promise<string | undefined> => {
    const step = await tokens.next();
    return step.done ? undefined : step.value;
  };
  try {
    let token = await next();
    while (token !== undefined) {
      const commit = await readHeader(token, next);
      const changes: TreeChange[] = [];
      // After the header come raw entries, each followed by its path(s); git puts a newline before
      // the first entry and may emit empty tokens between commits.
      for (token = await next(); token !== undefined; token = await next()) {
        const text = token.startsWith('\n') ? token.slice(1) : token;
        if (text === '') continue;
        if (!text.startsWith(':')) break;
        const entry = parseRawEntry(text);
        if (!entry) throw unexpected(repo, 'a raw diff entry');
        let path = await next();
        if (entry.pathCount === 2) path = await next();
        if (path === undefined) throw unexpected(repo, 'a path');
        changes.push({ ...entry, path });
      }
      if (token !== undefined) token = token.startsWith('\n') ? token.slice(1) : token;
      yield { commit, changes };
    }
  } finally {
    await tokens.return?.();
  }
}

async function readHeader(first: string, next: () => Promise<string | undefined>): Promise<CommitInfo> {
  const fields = [first.replace(/^\n/, '')];
  while (fields.length < HEADER_FIELDS) {
    const field = await next();
    if (field === undefined) break;
    fields.push(field);
  }
  const [sha = '', authorName = '', authorEmail = '', date = '', subject = ''] = fields;
  if (fields.length < HEADER_FIELDS || !COMMIT_ID.test(sha)) throw new InputError('unexpected output from git log: expected a commit header');
  return { sha, authorName, authorEmail, date, subject };
}

function unexpected(repo: string, what: string): InputError {
  return new InputError(`unexpected output from git log in ${repo}: expected ${what}`);
}

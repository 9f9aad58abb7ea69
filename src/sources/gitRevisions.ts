// Checks of the revisions and dates a history scan is limited by, so a typo is one line that names
// the option and what to type instead, not an empty scan. git log alone treats a date it cannot
// read as "now" (an empty scan that passes), and a bad revision fails the walk after the report
// has started.
import { InputError, UnknownRevisionError } from '../errors.js';
import { runGit } from './gitCommand.js';

/**
 * Reject a `--since` git cannot read. `git log --since` parses dates loosely (anything unreadable
 * means now); the expiry-date type of `git config` runs the same parser in its careful mode, which
 * says so. The value only travels in `-c`, never through a shell or a file.
 */
export async function checkSinceDate(repo: string, since: string, signal?: AbortSignal): Promise<void> {
  const { exitCode } = await runGit(repo, ['-c', `segscan.since=${since}`, 'config', '--type=expiry-date', 'segscan.since'], {
    signal,
    okExitCodes: [0, 128],
  });
  if (exitCode !== 0) {
    throw new InputError(`--since '${since}' is not a date git understands; give a date (2025-01-01, '2025-01-01 12:00') or a relative one ('2 weeks ago', yesterday)`);
  }
}

/** Where the revisions of a history scan came from, to name it in an error. */
export interface RevisionOrigin {
  branches: readonly string[];
  range?: string;
  /** How to name the range: `--range` as typed, or the pre-push variables it came from. */
  rangeOption: string;
}

/**
 * The one-line error for a revision git did not know, naming the option it came from and, for a
 * range, the side that is wrong (git names only the whole `A..B`).
 */
export async function explainUnknownRevision(error: UnknownRevisionError, origin: RevisionOrigin, signal?: AbortSignal): Promise<InputError> {
  const where = error.repository;
  // git log names the whole `A..B`; reading the range's base policy names the side it read.
  if (origin.range !== undefined && (error.revision === origin.range || origin.range.split(/\.{2,3}/).includes(error.revision))) {
    const sides = origin.range.split(/\.{2,3}/).map((side) => side || 'HEAD');
    const missing: string[] = [];
    for (const side of sides) if (!(await revisionExists(where, side, signal))) missing.push(side);
    const named = missing.length > 0 ? missing.map((m) => `'${m}'`).join(' and ') : `'${origin.range}'`;
    return new InputError(
      `${origin.rangeOption} ${origin.range}: no revision ${named} in ${where}; name branches, tags or commits that exist there (in a shallow clone, git fetch them first)`,
    );
  }
  if (origin.branches.includes(error.revision)) {
    return new InputError(`--branch ${error.revision}: no branch, tag or commit '${error.revision}' in ${where}; git branch -a lists the branches there`);
  }
  return error;
}

async function revisionExists(repo: string, name: string, signal?: AbortSignal): Promise<boolean> {
  const { exitCode } = await runGit(repo, ['rev-parse', '--verify', '--quiet', '--end-of-options', `${name}^{object}`], { signal, okExitCodes: [0, 1, 128] });
  return exitCode === 0;
}

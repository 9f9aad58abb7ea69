// Facts about a repository for reports: where it is, what HEAD is, whether history is complete.

import { withoutCredentials } from '../remoteUrl.js';
import { resolve } from 'node:path';
import { runGit } from './gitCommand.js';
import { isObjectId } from './gitRawDiff.js';

export interface RepositoryDescription {
  /** The work tree's top directory, or the git directory of a bare repository. */
  root: string;
  gitDir: string;
  bare: boolean;
  shallow: boolean;
  /** Full sha of HEAD's commit; absent before the first commit. */
  head?: string;
  /** Current branch name; absent when HEAD is detached. */
  branch?: string;
  /** The `origin` remote's URL (else the first remote's), without credentials. */
  remoteUrl?: string;
  /** True when no ref points at a commit (nothing to scan). */
  empty: boolean;
}

export async function describeRepository(path: string, signal?: AbortSignal): Promise<RepositoryDescription> {
  const cwd = resolve(path);
  // Independent questions, asked at once: each is a git process of a few milliseconds, and a fork
  // of this process (~10 ms of its main thread on a small VM), so one rev-parse asks all it can.
  const [{ bareText, shallowText, gitDir = cwd, topLevel, head }, branch, remoteUrl] = await Promise.all([
    revParseFacts(cwd, signal),
    optionalLine(cwd, ['symbolic-ref', '--quiet', '--short', 'HEAD'], signal),
    remoteUrlOf(cwd, signal),
  ]);
  const bare = bareText === 'true';
  // Only a repository whose HEAD has no commit can be empty; ask about other refs only then.
  const anyCommit = head ?? (await optionalLine(cwd, ['rev-list', '--max-count=1', '--all'], signal));
  return {
    root: bare ? gitDir : topLevel ?? cwd,
    gitDir,
    bare,
    shallow: shallowText === 'true',
    ...(head ? { head } : {}),
    // symbolic-ref also answers before the first commit, where the branch exists only by name.
    ...(branch ? { branch } : {}),
    ...(remoteUrl ? { remoteUrl } : {}),
    empty: !anyCommit,
  };
}

const FACTS = ['--is-bare-repository', '--is-shallow-repository', '--absolute-git-dir'];
const HEAD_COMMIT = ['--verify', '--quiet', '--end-of-options', 'HEAD^{commit}'];

interface RevParseFacts {
  bareText: string | undefined;
  shallowText: string | undefined;
  gitDir: string | undefined;
  topLevel?: string;
  head?: string;
}

/**
 * The rev-parse facts in one process. rev-parse answers in order and stops at the first question
 * it cannot answer: the top level outside a work tree (a bare repository, or inside .git: exit
 * 128), HEAD's commit before the first commit (exit 1). Only when the top level stops it is HEAD
 * asked for again; when not even the first three answers come, asking for those alone fails with
 * git's own reason (not a repository, dubious ownership, ...).
 */
async function revParseFacts(cwd: string, signal: AbortSignal | undefined): Promise<RevParseFacts> {
  const { stdout, exitCode } = await runGit(cwd, ['rev-parse', ...FACTS, '--show-toplevel', ...HEAD_COMMIT], { signal, okExitCodes: [0, 1, 128] });
  let answers = lines(stdout);
  if (answers.length < FACTS.length) answers = lines((await runGit(cwd, ['rev-parse', ...FACTS], { signal })).stdout);
  const [bareText, shallowText, gitDir, ...rest] = answers;
  // The top level is an absolute path; HEAD's commit is an object id (told apart by shape, in case
  // a git prints nothing for --show-toplevel in a bare repository instead of failing).
  const topLevel = rest.find((line) => !isObjectId(line));
  const head = exitCode === 128 ? await optionalLine(cwd, ['rev-parse', ...HEAD_COMMIT], signal) : rest.find(isObjectId);
  return { bareText, shallowText, gitDir, ...(topLevel ? { topLevel } : {}), ...(head ? { head } : {}) };
}

function lines(text: string): string[] {
  return text.split('\n').filter((line) => line !== '');
}

async function optionalLine(cwd: string, args: readonly string[], signal: AbortSignal | undefined): Promise<string | undefined> {
  const { stdout, exitCode } = await runGit(cwd, args, { signal, okExitCodes: [0, 1, 128] });
  const line = stdout.split('\n')[0]?.trim();
  return exitCode === 0 && line ? line : undefined;
}

/** The `origin` remote's URL, else the first remote's (in config order), without credentials. */
async function remoteUrlOf(cwd: string, signal: AbortSignal | undefined): Promise<string | undefined> {
  const { stdout, exitCode } = await runGit(cwd, ['config', '-z', '--get-regexp', '^remote\\..*\\.url$'], { signal, okExitCodes: [0, 1, 128] });
  if (exitCode !== 0) return undefined;
  // -z: each entry is "remote.<name>.url\n<url>\0".
  const remotes = stdout.split('\0').filter((entry) => entry !== '').map((entry) => {
    const newline = entry.indexOf('\n');
    return { key: entry.slice(0, newline), url: entry.slice(newline + 1) };
  });
  const chosen = remotes.find((r) => r.key === 'remote.origin.url') ?? remotes[0];
  return chosen?.url ? withoutCredentials(chosen.url) : undefined;
}

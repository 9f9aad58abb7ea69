// Facts about a repository for reports: where it is, what HEAD is, whether history is complete.

import { withoutCredentials } from '../remoteUrl.js';
import { resolve } from 'node:path';
import { runGit } from './gitCommand.js';

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
  // Independent questions, asked at once: each is a git process of a few milliseconds.
  const [facts, topLevel, head, branch, remoteUrl] = await Promise.all([
    lines(cwd, ['rev-parse', '--is-bare-repository', '--is-shallow-repository', '--absolute-git-dir'], signal),
    optionalLine(cwd, ['rev-parse', '--show-toplevel'], signal), // fails in a bare repository
    optionalLine(cwd, ['rev-parse', '--verify', '--quiet', '--end-of-options', 'HEAD^{commit}'], signal),
    optionalLine(cwd, ['symbolic-ref', '--quiet', '--short', 'HEAD'], signal),
    remoteUrlOf(cwd, signal),
  ]);
  const [bareText, shallowText, gitDir = cwd] = facts;
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

async function lines(cwd: string, args: readonly string[], signal: AbortSignal | undefined): Promise<string[]> {
  const { stdout } = await runGit(cwd, args, { signal });
  return stdout.split('\n').filter((line) => line !== '');
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

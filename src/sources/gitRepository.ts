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
  const facts = await lines(cwd, ['rev-parse', '--is-bare-repository', '--is-shallow-repository', '--absolute-git-dir'], signal);
  const [bareText, shallowText, gitDir = cwd] = facts;
  const bare = bareText === 'true';
  const root = bare ? gitDir : (await lines(cwd, ['rev-parse', '--show-toplevel'], signal))[0] ?? cwd;
  const [head, branch, remoteUrl, anyCommit] = await Promise.all([
    optionalLine(cwd, ['rev-parse', '--verify', '--quiet', '--end-of-options', 'HEAD^{commit}'], signal),
    optionalLine(cwd, ['symbolic-ref', '--quiet', '--short', 'HEAD'], signal),
    remoteUrlOf(cwd, signal),
    optionalLine(cwd, ['rev-list', '--max-count=1', '--all'], signal),
  ]);
  return {
    root,
    gitDir,
    bare,
    shallow: shallowText === 'true',
    ...(head ? { head } : {}),
    // symbolic-ref also answers before the first commit, where the branch exists only by name.
    ...(branch ? { branch } : {}),
    ...(remoteUrl ? { remoteUrl } : {}),
    empty: !anyCommit && !head,
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

async function remoteUrlOf(cwd: string, signal: AbortSignal | undefined): Promise<string | undefined> {
  const origin = await optionalLine(cwd, ['config', '--get', 'remote.origin.url'], signal);
  if (origin) return withoutCredentials(origin);
  const firstRemote = await optionalLine(cwd, ['remote'], signal);
  if (!firstRemote) return undefined;
  const url = await optionalLine(cwd, ['config', '--get', `remote.${firstRemote}.url`], signal);
  return url ? withoutCredentials(url) : undefined;
}


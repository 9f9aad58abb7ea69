// `segscan install-hook [repo] [--pre-push] [--force]`: a plain git hook for teams without the
// pre-commit framework. It goes where git looks for hooks (core.hooksPath if set), and never
// replaces an existing hook unless --force says so.
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { displayName } from '../config/load.js';
import { EXIT, InputError, OutputError, UsageError } from '../errors.js';
import type { CommandIO, CommandResult } from './io.js';

export interface InstallHookArgs {
  repo?: string;
  prePush: boolean;
  force: boolean;
  /** Print the script instead of installing it (for husky, lefthook and other hook managers). */
  print?: boolean;
}

export type HookKind = 'pre-commit' | 'pre-push';

const FIND_SEGSCAN = `# segscan on PATH, else the project's own (npm install --save-dev segscan).
run_segscan() {
  if command -v segscan >/dev/null 2>&1; then
    segscan "$@" </dev/null
  elif [ -x ./node_modules/.bin/segscan ]; then
    ./node_modules/.bin/segscan "$@" </dev/null
  else
    echo "segscan: not found on PATH or in node_modules/.bin; install it (npm install --save-dev segscan), or skip this check once with --no-verify" >&2
    return 2
  fi
}
`;

const PRE_COMMIT_BODY = `run_segscan staged
`;

// pre-push gets "<local ref> <local sha> <remote ref> <remote sha>" lines on stdin. Scan what each
// pushed ref adds over the remote, the way the pre-commit framework computes it: over the remote
// sha when the remote has it, else over the parent of the first commit no remote-tracking ref has.
const PRE_PUSH_BODY = `remote="$1"
status=0
while read -r local_ref local_sha remote_ref remote_sha; do
  case "$local_sha" in *[!0]*) ;; *) continue ;; esac  # a deleted ref pushes nothing
  range=
  case "$remote_sha" in
    *[!0]*) git cat-file -e "$remote_sha^{commit}" 2>/dev/null && range="$remote_sha..$local_sha" ;;
  esac
  if [ -z "$range" ]; then
    first=$(git rev-list "$local_sha" --topo-order --reverse --not --remotes="$remote" | head -n 1)
    [ -n "$first" ] || continue  # every commit is already on the remote
    if parent=$(git rev-parse -q --verify "$first^" 2>/dev/null); then
      range="$parent..$local_sha"
    fi
  fi
  if [ -n "$range" ]; then
    run_segscan git --quiet --range "$range" || status=$?
  else
    run_segscan git --quiet --branch "$local_sha" || status=$?  # a new root: all of its history is new
  fi
done
exit $status
`;

export const HOOK_MARKER = 'segscan-hook';

/** The hook script for `kind`: POSIX sh, no bash-isms, so it runs wherever git does. */
export function hookScript(kind: HookKind): string {
  const header = `#!/bin/sh
# ${HOOK_MARKER}: ${kind} (installed by segscan install-hook).
# ${kind === 'pre-commit' ? 'Blocks commits that add Segment credentials' : 'Blocks pushes of commits that add Segment credentials'}; mark an accepted line with
# segscan:allow, or skip once with git ${kind === 'pre-commit' ? 'commit' : 'push'} --no-verify.
`;
  return `${header}${FIND_SEGSCAN}${kind === 'pre-commit' ? PRE_COMMIT_BODY : PRE_PUSH_BODY}`;
}

function git(args: string[], cwd: string): string {
  return execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
}

/** The directory git runs hooks from: core.hooksPath when set (relative to the work tree), else .git/hooks. */
export function hooksDirectory(repo: string): string {
  let base: string;
  try {
    const bare = git(['rev-parse', '--is-bare-repository'], repo) === 'true';
    base = bare ? resolve(repo, git(['rev-parse', '--git-dir'], repo)) : git(['rev-parse', '--show-toplevel'], repo);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new InputError('git is not installed or not on PATH; install git and try again');
    throw new InputError(`not a git repository: ${repo}; run segscan install-hook inside a repository or pass its path`);
  }
  const hooks = git(['rev-parse', '--git-path', 'hooks'], base);
  return isAbsolute(hooks) ? hooks : resolve(base, hooks);
}

export function runInstallHook(args: InstallHookArgs, io: CommandIO): Promise<CommandResult> {
  if (args.print) return Promise.resolve({ exitCode: EXIT.clean, stdout: hookScript(args.prePush ? 'pre-push' : 'pre-commit'), stderr: '' });
  const repo = resolve(io.cwd, args.repo ?? '.');
  if (!existsSync(repo)) throw new InputError(`path not found: ${args.repo ?? '.'}; check the path and try again`);
  const kind: HookKind = args.prePush ? 'pre-push' : 'pre-commit';
  const dir = hooksDirectory(repo);
  const target = join(dir, kind);
  const name = displayName(target, io.cwd);
  const script = hookScript(kind);
  if (existsSync(target)) {
    if (readFileSync(target, 'utf8') === script) {
      return Promise.resolve({ exitCode: EXIT.clean, stdout: `segscan ${kind} hook already installed at ${name}\n`, stderr: '' });
    }
    if (!args.force) {
      throw new UsageError(`${name} already exists; pass --force to replace it, or add 'segscan ${kind === 'pre-commit' ? 'staged' : 'git --range <from>..<to>'}' to it yourself`);
    }
  }
  try {
    mkdirSync(dir, { recursive: true });
    writeFileSync(target, script, { mode: 0o755 });
    chmodSync(target, 0o755);
  } catch (e) {
    throw new OutputError(`cannot write ${name} (${(e as NodeJS.ErrnoException).code ?? 'error'}); check the directory's permissions`);
  }
  return Promise.resolve({ exitCode: EXIT.clean, stdout: `Installed the segscan ${kind} hook at ${name}\n`, stderr: '' });
}

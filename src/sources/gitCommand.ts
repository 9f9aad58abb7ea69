// The only module that spawns git. Every call runs with the same safety net: no hooks, no
// fsmonitor, no external diff or textconv drivers, no signature checks, no prompts, no optional
// locks, no lazy fetches in partial clones, and object replacement off so the real history is read.
// Failures become one-line InputErrors; a git stack of "fatal:" lines never reaches the user.

import { spawn } from 'node:child_process';
import type { Readable } from 'node:stream';
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { InputError, UnknownRevisionError } from '../errors.js';

const SAFE_CONFIG: readonly string[] = [
  '-c', 'core.fsmonitor=false',
  '-c', 'core.hooksPath=/dev/null',
  '-c', 'core.quotePath=false',
  '-c', 'log.showSignature=false',
  '-c', 'color.ui=false',
  '-c', 'protocol.allow=never',
  // History scans read every tree and blob once, oldest first; git's default 96 MiB cache of delta
  // bases per process bought no measurable speed there, 32 MiB halves the git processes' memory.
  '-c', 'core.deltaBaseCacheLimit=32m',
];

/** Variables that would make git read another repository than the one we were asked to scan. */
const REPOSITORY_SELECTING_ENV = ['GIT_DIR', 'GIT_WORK_TREE', 'GIT_COMMON_DIR', 'GIT_PREFIX', 'GIT_NAMESPACE'];

const STDERR_LIMIT = 64 * 1024;

export interface GitOptions {
  signal?: AbortSignal | undefined;
  /** Exit codes that are not failures (default: only 0). */
  okExitCodes?: readonly number[];
}

export interface GitProcess {
  /** Standard output as it arrives: iterate it once, or listen for 'data' (and pause to push back). */
  readonly stdout: Readable;
  /** Write to standard input, waiting when the pipe is full (only for `input: true`). */
  write(data: string): Promise<void>;
  /** Close standard input. */
  endInput(): void;
  /** Settles when git exits: the exit code, or a typed error for failures and aborts. */
  readonly exited: Promise<number>;
  /** Stop git now (idempotent). */
  kill(): void;
}

/**
 * The environment for git. GIT_INDEX_FILE is kept (a pre-commit hook for `git commit -a` points it
 * at a temporary index) and made absolute; quarantine object directories of pre-receive hooks are
 * kept too. Variables that select another repository are dropped: the caller names the repository.
 */
export function gitEnvironment(base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...base };
  for (const name of REPOSITORY_SELECTING_ENV) delete env[name];
  if (env.GIT_INDEX_FILE) env.GIT_INDEX_FILE = resolve(env.GIT_INDEX_FILE);
  env.GIT_TERMINAL_PROMPT = '0';
  env.GIT_OPTIONAL_LOCKS = '0';
  env.GIT_NO_REPLACE_OBJECTS = '1';
  env.GIT_NO_LAZY_FETCH = '1';
  // No transport at all (an empty allow list): git before 2.44 ignores GIT_NO_LAZY_FETCH, and a
  // partial clone's missing object, a submodule or an alternate must never make segscan fetch.
  env.GIT_ALLOW_PROTOCOL = '';
  env.GIT_PAGER = 'cat';
  env.GIT_ASKPASS = '';
  env.SSH_ASKPASS = '';
  // English messages, so failures can be recognised below.
  env.LC_ALL = 'C';
  return env;
}

export interface SpawnOptions extends GitOptions {
  /** Standard input stays open for `write` (otherwise it is closed at once). */
  input?: boolean;
  /**
   * Let git fill its output buffer instead of flushing after each record (GIT_FLUSH=0). Only for a
   * command that never waits for input: its last records then arrive when it exits, not late.
   * `git log` into a pipe otherwise writes each commit on its own: 3,000 writes of ~570 bytes for
   * the benchmark's history, where 4 KiB blocks let the log keep ahead of the cat-file it feeds.
   */
  bufferOutput?: boolean;
}

/** Start git with `args` (subcommand first) in `cwd`. */
export function spawnGit(cwd: string, args: readonly string[], options: SpawnOptions = {}): GitProcess {
  const { signal } = options;
  const ok = options.okExitCodes ?? [0];
  const env = gitEnvironment();
  if (options.bufferOutput) env.GIT_FLUSH = '0';
  const child = spawn('git', [...SAFE_CONFIG, ...args], {
    cwd,
    env,
    stdio: ['pipe', 'pipe', 'pipe'],
    windowsHide: true,
  });
  if (!options.input) child.stdin.end();
  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (text: string) => {
    if (stderr.length < STDERR_LIMIT) stderr += text;
  });
  // A consumer that stops reading may leave git writing into a closed pipe: that is not an error.
  child.stdin.on('error', () => {});
  child.stdout.on('error', () => {});

  let killed = false;
  let drained: Promise<void> | undefined;
  const kill = (): void => {
    if (killed) return;
    killed = true;
    child.stdin.destroy();
    child.stdout.destroy();
    child.kill('SIGKILL');
  };
  const onAbort = (): void => kill();
  signal?.addEventListener('abort', onAbort, { once: true });
  if (signal?.aborted) kill();

  const exited = new Promise<number>((resolveExit, rejectExit) => {
    let spawnError: NodeJS.ErrnoException | undefined;
    child.on('error', (error: NodeJS.ErrnoException) => {
      spawnError = error;
    });
    child.on('close', (code) => {
      signal?.removeEventListener('abort', onAbort);
      if (signal?.aborted) return rejectExit(abortReason(signal));
      if (spawnError) return rejectExit(spawnFailure(cwd, spawnError));
      if (killed) return rejectExit(new InputError(`git ${subcommand(args)} was stopped before it finished`));
      if (code !== null && ok.includes(code)) return resolveExit(code);
      rejectExit(gitFailure(cwd, args, stderr, code));
    });
  });
  // The caller may never await `exited` (e.g. it broke out early); don't crash on that rejection.
  exited.catch(() => {});

  return {
    stdout: child.stdout,
    write: async (data) => {
      const stdin = child.stdin;
      if (!options.input || stdin.destroyed) throw new InputError(`git ${subcommand(args)} is not accepting input`);
      if (stdin.write(data)) return;
      // One shared wait for 'drain', however many writers are queued behind a full pipe.
      drained ??= new Promise<void>((resolveDrain) => {
        const done = (): void => {
          drained = undefined;
          stdin.off('drain', done).off('close', done);
          resolveDrain();
        };
        stdin.on('drain', done).on('close', done);
      });
      await drained;
    },
    endInput: () => {
      child.stdin.end();
    },
    exited,
    kill,
  };
}

/** Stream git's standard output; git is stopped when the consumer stops early or the signal aborts. */
export async function* streamGit(cwd: string, args: readonly string[], options: GitOptions = {}): AsyncGenerator<Buffer, void, undefined> {
  const git = spawnGit(cwd, args, options);
  try {
    try {
      for await (const chunk of git.stdout) {
        options.signal?.throwIfAborted();
        yield chunk as Buffer;
      }
    } catch (error) {
      // A pipe torn down by an abort or a failing git: git's own exit says why.
      await git.exited;
      throw error;
    }
    await git.exited;
  } finally {
    git.kill();
  }
}

/** Run a short metadata command, with `input` on its standard input, and return its standard output (UTF-8). */
export async function runGit(cwd: string, args: readonly string[], options: GitOptions & { input?: string } = {}): Promise<{ stdout: string; exitCode: number }> {
  const { input, ...gitOptions } = options;
  const git = spawnGit(cwd, args, { ...gitOptions, input: input !== undefined });
  const written = input === undefined ? Promise.resolve() : git.write(input).then(() => git.endInput());
  written.catch(() => {}); // a failed write shows as git's own failure below
  const chunks: Buffer[] = [];
  try {
    try {
      for await (const chunk of git.stdout) chunks.push(chunk as Buffer);
    } catch (error) {
      await git.exited;
      throw error;
    }
    const [exitCode] = await Promise.all([git.exited, written]);
    return { stdout: Buffer.concat(chunks).toString('utf8'), exitCode };
  } finally {
    git.kill();
  }
}

function subcommand(args: readonly string[]): string {
  return args[0] ?? '';
}

function abortReason(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException('The operation was aborted', 'AbortError');
}

function spawnFailure(cwd: string, error: NodeJS.ErrnoException): InputError {
  if (error.code === 'ENOENT' && !isDirectory(cwd)) return new InputError(`no such directory: ${cwd}`);
  if (error.code === 'ENOENT') return new InputError('git is not installed or not on PATH: install git to scan history');
  return new InputError(`could not run git in ${cwd}: ${error.message}`);
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

const OBJECT_ID = '[0-9a-f]{40}(?:[0-9a-f]{24})?';
const CORRUPT_OBJECT_PATTERNS = [
  new RegExp(`(?:loose|packed) object (${OBJECT_ID}).*(?:corrupt|missing)`),
  new RegExp(`(?:bad|invalid|missing|unable to read|cannot read|corrupt)[a-z ]* object (${OBJECT_ID})`, 'i'),
  new RegExp(`unable to read (?:tree|blob|commit)? ?\\(?(${OBJECT_ID})`),
  new RegExp(`object (${OBJECT_ID}) is (?:corrupt|a [a-z]+, not)`),
];

/** Turn a failed git run into one line that says what is wrong and, where it can, what to do. */
export function gitFailure(cwd: string, args: readonly string[], stderr: string, code: number | null): InputError {
  const message = stderr.replace(/\r/g, '');
  if (/not a git repository/i.test(message)) return new InputError(`not a git repository: ${cwd}`);
  if (/cannot change to/i.test(message)) return new InputError(`no such directory: ${cwd}`);
  if (/dubious ownership/i.test(message)) {
    return new InputError(`git refuses to read ${cwd} (dubious ownership): run git config --global --add safe.directory ${cwd}`);
  }
  const badRevision = /(?:bad revision|ambiguous argument) '([^'\n]*)'|Not a valid object name (\S+)/.exec(message);
  if (badRevision) return new UnknownRevisionError(badRevision[1] ?? badRevision[2] ?? '', cwd);
  for (const pattern of CORRUPT_OBJECT_PATTERNS) {
    const match = pattern.exec(message);
    if (match?.[1]) return new InputError(`git object ${match[1]} is corrupt or missing in ${cwd}: run git fsck`);
  }
  const fatal = message.split('\n').find((line) => /^(fatal|error):/.test(line)) ?? message.split('\n').find((line) => line.trim() !== '');
  const reason = fatal ? fatal.replace(/^(fatal|error):\s*/, '').slice(0, 300) : `exit code ${code ?? 'unknown'}`;
  return new InputError(`git ${subcommand(args)} failed in ${cwd}: ${reason}`);
}

// Builds real git repositories in temporary directories at test time (never a committed .git).
// Everything is deterministic: fixed author, a commit clock that advances one hour per commit,
// no global or system git config, and the caller's GIT_* variables (e.g. from a hook) ignored.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fakeCredentials } from '../../src/rules/templates.js';
import { decodeBytes } from '../../src/engine/text.js';
import type { Fragment, FragmentOrigin, SkippedItem, Source } from '../../src/types.js';

export const AUTHOR = { name: 'Test Author', email: 'author@example.com' } as const;
/** The commit clock's start: 2021-01-01T00:00:00Z. */
export const CLOCK_START = Date.UTC(2021, 0, 1) / 1000;

const tempDirs: string[] = [];

export function makeTempDir(prefix = 'segscan-git-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  tempDirs.push(dir);
  return dir;
}

/** Remove every directory made by this helper (call from afterAll). */
export function removeTempDirs(): void {
  for (const dir of tempDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/** An environment for git that no user or CI configuration can influence. */
export function isolatedGitEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) if (!name.startsWith('GIT_')) env[name] = value;
  return {
    ...env,
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: '/dev/null',
    GIT_AUTHOR_NAME: AUTHOR.name,
    GIT_AUTHOR_EMAIL: AUTHOR.email,
    GIT_COMMITTER_NAME: AUTHOR.name,
    GIT_COMMITTER_EMAIL: AUTHOR.email,
    GIT_TERMINAL_PROMPT: '0',
    LC_ALL: 'C',
    ...extra,
  };
}

/** Run git; returns stdout (untrimmed). */
export function runGitSync(cwd: string, args: readonly string[], options: { input?: string | Buffer; env?: NodeJS.ProcessEnv } = {}): string {
  return execFileSync('git', [...args], {
    cwd,
    env: isolatedGitEnv(options.env),
    input: options.input ?? '',
    encoding: 'utf8',
    maxBuffer: 512 * 1024 * 1024,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
}

export interface CommitOptions {
  /** ISO date or `@<unix> +0000`; default: the repository's clock (advances one hour per commit). */
  date?: string;
  author?: { name: string; email: string };
  /** Stage every change first (`git add -A`); default true. */
  addAll?: boolean;
  allowEmpty?: boolean;
}

export interface TestRepo {
  readonly dir: string;
  git(args: readonly string[], options?: { input?: string | Buffer; env?: NodeJS.ProcessEnv }): string;
  /** Write a file (creating directories); relative POSIX path. */
  write(path: string, content: string | Buffer): void;
  remove(path: string): void;
  stage(...paths: string[]): void;
  /** Commit and return the full sha. */
  commit(message: string, options?: CommitOptions): string;
  /** Full sha of a revision. */
  rev(revision?: string): string;
  /** The date the next commit will get, as `@<unix> +0000`. */
  nextDate(): string;
}

export function createTestRepo(options: { bare?: boolean; dir?: string } = {}): TestRepo {
  const dir = options.dir ?? makeTempDir();
  runGitSync(dir, ['init', '-q', '-b', 'main', ...(options.bare ? ['--bare'] : []), '.']);
  configure(dir);
  return wrapRepo(dir);
}

/** `git clone` with extra arguments (e.g. `--depth 1`, `--bare`) from a file:// URL. */
export function cloneTestRepo(source: TestRepo, args: readonly string[] = []): TestRepo {
  const dir = makeTempDir('segscan-clone-');
  runGitSync(dir, ['clone', '-q', ...args, `file://${source.dir}`, '.']);
  configure(dir);
  return wrapRepo(dir);
}

function configure(dir: string): void {
  for (const [key, value] of [
    ['user.name', AUTHOR.name],
    ['user.email', AUTHOR.email],
    ['commit.gpgsign', 'false'],
    ['tag.gpgsign', 'false'],
    ['core.autocrlf', 'false'],
    ['gc.auto', '0'],
  ] as const) runGitSync(dir, ['config', key, value]);
}

function wrapRepo(dir: string): TestRepo {
  let tick = 0;
  const nextDate = (): string => `@${CLOCK_START + tick * 3600} +0000`;
  const repo: TestRepo = {
    dir,
    git: (args, options) => runGitSync(dir, args, options),
    write: (path, content) => {
      const full = join(dir, path);
      mkdirSync(dirname(full), { recursive: true });
      writeFileSync(full, content);
    },
    remove: (path) => unlinkSync(join(dir, path)),
    stage: (...paths) => {
      runGitSync(dir, ['add', '-A', '--', ...paths]);
    },
    commit: (message, options = {}) => {
      if (options.addAll ?? true) runGitSync(dir, ['add', '-A']);
      const date = options.date ?? nextDate();
      tick++;
      const author = options.author ?? AUTHOR;
      runGitSync(dir, ['commit', '-q', '--no-verify', ...(options.allowEmpty ? ['--allow-empty'] : []), '-m', message], {
        env: {
          GIT_AUTHOR_DATE: date,
          GIT_COMMITTER_DATE: date,
          GIT_AUTHOR_NAME: author.name,
          GIT_AUTHOR_EMAIL: author.email,
        },
      });
      return repo.rev('HEAD');
    },
    rev: (revision = 'HEAD') => runGitSync(dir, ['rev-parse', '--verify', `${revision}^{commit}`]).trim(),
    nextDate,
  };
  return repo;
}

/** A `.env`-style line holding a generated fake write key, e.g. `SEGMENT_WRITE_KEY=…`. */
export function secretLine(seed: string, variable = 'SEGMENT_WRITE_KEY'): { line: string; secret: string } {
  const secret = fakeCredentials(seed).writeKey;
  return { line: `${variable}=${secret}`, secret };
}

export interface CollectedItems {
  /** Everything yielded for scanning, decoded as the scanner decodes it (text content only). */
  fragments: Fragment[];
  /** Content the scanner would skip as binary. */
  binary: FragmentOrigin[];
  /** Content a source's first look settled, counted: each run of it as yielded. */
  clean: Array<{ files: number; bytes: number }>;
  skipped: SkippedItem[];
  warnings: string[];
}

/** Drain a source; raw content items are decoded the way scan.ts decodes them. */
export async function collectItems(source: Source, signal?: AbortSignal): Promise<CollectedItems> {
  const out: CollectedItems = { fragments: [], binary: [], clean: [], skipped: [], warnings: [] };
  for await (const item of source.items(signal)) {
    if (item.kind === 'fragment') out.fragments.push(item.fragment);
    else if (item.kind === 'clean') out.clean.push({ files: item.files, bytes: item.bytes });
    else if (item.kind === 'skipped') out.skipped.push(item.item);
    else if (item.kind === 'warning') out.warnings.push(item.message);
    else {
      const decoded = decodeBytes(item.kind === 'file' ? readFileSync(item.absolutePath) : item.content);
      if (decoded.kind === 'binary') out.binary.push(item.origin);
      else out.fragments.push({ ...item.origin, text: decoded.text });
    }
  }
  return out;
}

/**
 * Run `body` with a git on PATH that records each command line it is given, then runs the real
 * git: what a test asserts about the git processes segscan starts (each one a fork of segscan).
 */
export async function withGitCallLog<T>(body: (calls: () => string[], sizeRequests: () => string[]) => Promise<T>): Promise<T> {
  const bin = makeTempDir('segscan-git-calls-');
  const log = join(bin, 'calls');
  const sizes = join(bin, 'size-requests');
  writeFileSync(log, '');
  writeFileSync(sizes, '');
  const realGit = execFileSync('sh', ['-c', 'command -v git'], { encoding: 'utf8' }).trim();
  // What `cat-file --batch-check` is asked (object ids, one per line) is copied on its way in.
  const script = [
    '#!/bin/sh',
    `echo "$*" >> '${log}'`,
    `case "$*" in *--batch-check*) tee -a '${sizes}' | '${realGit}' "$@"; exit $? ;; esac`,
    `exec '${realGit}' "$@"`,
    '',
  ].join('\n');
  writeFileSync(join(bin, 'git'), script, { mode: 0o755 });
  const path = process.env.PATH;
  process.env.PATH = `${bin}:${path ?? ''}`;
  const lines = (file: string) => () => readFileSync(file, 'utf8').split('\n').filter((line) => line !== '');
  try {
    return await body(lines(log), lines(sizes));
  } finally {
    process.env.PATH = path;
  }
}

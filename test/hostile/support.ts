// Shared pieces of the hostile-input and fault tests: running segscan as a real process (as root or
// as an unprivileged user), reading its JSON report, and the one-line error contract.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { BIN } from '../helpers/cli.js';

export interface JsonFinding {
  ruleId: string;
  path: string;
  start: { line: number; column: number };
  end: { line: number; column: number };
  secret: string;
  secretHash: string;
  commit?: { sha: string };
  verification?: { status: string; reason: string };
}
export interface JsonReport {
  incomplete: boolean;
  incompleteReason?: string;
  findings: JsonFinding[];
  skipped: Array<{ path: string; reason: string; size?: number; detail?: string; commit?: string }>;
  warnings: string[];
  stats: { filesScanned: number; bytesScanned: number; skipped: number; commitsScanned?: number; blobsScanned?: number };
}

export function parseReport(text: string): JsonReport {
  return JSON.parse(text) as JsonReport;
}

/** The error contract: exit 2, one `segscan: error:` line on stderr, no stack trace, no internal error. */
export function expectOneLineError(result: { exitCode: number; stderr: string }, pattern?: RegExp): void {
  expect(result.exitCode, result.stderr).toBe(2);
  const lines = result.stderr.trimEnd().split('\n');
  const errorLines = lines.filter((l) => l.startsWith('segscan: error: '));
  expect(errorLines, result.stderr).toHaveLength(1);
  expect(result.stderr).not.toMatch(/internal error/);
  expect(result.stderr).not.toMatch(/\n\s+at |^\s+at /m);
  if (pattern) expect(errorLines[0]).toMatch(pattern);
}

const tempRoots: string[] = [];

/** A temporary directory removed by cleanupTemp(); `base` lets big trees live on a tmpfs. */
export function hostileTemp(prefix: string, base = tmpdir()): string {
  const dir = mkdtempSync(join(base, `segscan-hostile-${prefix}-`));
  tempRoots.push(dir);
  return dir;
}

export function cleanupTemp(): void {
  for (const dir of tempRoots.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/** /dev/shm when it is a usable tmpfs (fast for trees of many small files), else the temp dir. */
export function fastTempBase(): string {
  try {
    readdirSync('/dev/shm');
    return '/dev/shm';
  } catch {
    return tmpdir();
  }
}

export interface BinResult {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Environment for the built binary: PATH and HOME only, plus extras. */
export function binEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/tmp', ...extra };
}

/** Run dist/bin.js to completion (optionally as nobody, optionally under prlimit). */
export function runBinary(args: readonly string[], options: { cwd?: string; env?: NodeJS.ProcessEnv; input?: string | Buffer; asNobody?: boolean; prefix?: readonly string[] } = {}): BinResult {
  const command = [...(options.prefix ?? []), ...(options.asNobody ? NOBODY : []), process.execPath, BIN, ...args];
  const r = spawnSync(command[0] as string, command.slice(1), {
    cwd: options.cwd ?? tmpdir(),
    env: binEnv(options.env),
    input: options.input ?? '',
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  return { exitCode: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr };
}

/**
 * Run dist/bin.js and measure peak memory: segscan's own (a preloaded hook prints its maxRSS) and,
 * where GNU time is installed, the largest of it and every process it started (git).
 */
export function runMeasured(args: readonly string[], options: { env?: NodeJS.ProcessEnv } = {}): BinResult & { nodePeakKb: number; treePeakKb: number | undefined } {
  const hook = join(hostileTemp('peak'), 'peak.cjs');
  writeFileSync(hook, "process.on('exit', () => require('fs').writeSync(2, `node-peak-kb=${process.resourceUsage().maxRSS}\\n`));\n");
  const gnuTime = existsSync('/usr/bin/time') ? ['/usr/bin/time', '-f', 'tree-peak-kb=%M'] : [];
  const result = runBinary(args, { prefix: gnuTime, env: { ...options.env, NODE_OPTIONS: `--require ${hook}` } });
  const tree = /tree-peak-kb=(\d+)/.exec(result.stderr)?.[1];
  return { ...result, nodePeakKb: Number(/node-peak-kb=(\d+)/.exec(result.stderr)?.[1]), treePeakKb: tree === undefined ? undefined : Number(tree) };
}

/** setpriv to uid/gid 65534: permission checks apply even when the tests run as root. */
export const NOBODY = ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups'] as const;

export function isRoot(): boolean {
  return process.getuid?.() === 0;
}

/** A running segscan process whose stderr can be awaited line by line. */
export interface RunningBin {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  /** Resolves once stderr contains a match. */
  waitForStderr(pattern: RegExp): Promise<void>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export function startBinary(args: readonly string[], options: { cwd?: string; env?: NodeJS.ProcessEnv; input?: string } = {}): RunningBin {
  const child = spawn(process.execPath, [BIN, ...args], { cwd: options.cwd ?? tmpdir(), env: binEnv(options.env), stdio: [options.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'] });
  if (options.input !== undefined) child.stdin?.end(options.input);
  let out = '';
  let err = '';
  const watchers: Array<{ pattern: RegExp; resolve: () => void }> = [];
  child.stdout?.setEncoding('utf8').on('data', (t: string) => (out += t));
  child.stderr?.setEncoding('utf8').on('data', (t: string) => {
    err += t;
    for (const w of watchers.splice(0)) {
      if (w.pattern.test(err)) w.resolve();
      else watchers.push(w);
    }
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('close', (code, signal) => resolve({ code, signal })));
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    waitForStderr: (pattern) =>
      new Promise<void>((resolve, reject) => {
        if (pattern.test(err)) return resolve();
        watchers.push({ pattern, resolve });
        void exited.then(() => reject(new Error(`segscan exited before printing ${pattern}; stderr: ${err}`)));
      }),
    exited,
  };
}

/** Processes (other than this test runner) whose environment carries `marker`: what a run left behind. */
export function processesWithMarker(marker: string): Array<{ pid: number; cmdline: string }> {
  const found: Array<{ pid: number; cmdline: string }> = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name) || Number(name) === process.pid) continue;
    try {
      const environ = readFileSync(`/proc/${name}/environ`, 'latin1');
      if (!environ.split('\0').includes(marker)) continue;
      const cmdline = readFileSync(`/proc/${name}/cmdline`, 'latin1').split('\0').join(' ').trim();
      found.push({ pid: Number(name), cmdline });
    } catch {
      // The process exited while we looked.
    }
  }
  return found;
}

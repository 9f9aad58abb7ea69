// Interrupted scans: SIGINT or SIGTERM part way through a long directory or history scan stops the
// git processes and workers segscan started, writes the findings found so far marked incomplete
// (JSON `incomplete: true`, SARIF `executionSuccessful: false`) and exits 130 or 143.
import { execFileSync, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fakeCredentials } from '../../src/rules/templates.js';
import { createTestRepo, isolatedGitEnv, removeTempDirs, type TestRepo } from '../helpers/gitRepo.js';
import { BIN } from '../helpers/cli.js';
import { cleanupTemp, fastTempBase, hostileTemp, parseReport, processesWithMarker, startBinary, type RunningBin } from './support.js';

/** Text dense with rule keywords, so every file costs the engine real work. */
const FILLER = `${'segment analytics config = value; // '.repeat(60)}\n`;
const DIR_FILES = 20_000;
const KEY_EVERY = 50;
const HISTORY_COMMITS = 800;

let tree: string;
let repo: TestRepo;

beforeAll(() => {
  tree = hostileTemp('signals', fastTempBase());
  for (let d = 0; d < DIR_FILES / 1000; d++) {
    mkdirSync(join(tree, `d${d}`));
    for (let i = 0; i < 1000; i++) {
      const key = i % KEY_EVERY === 0 ? `SEGMENT_WRITE_KEY=${fakeCredentials(`sig-${d}-${i}`).writeKey}\n` : '';
      writeFileSync(join(tree, `d${d}`, `f${i}.env`), `${FILLER.repeat(4)}${key}`);
    }
  }
  repo = createTestRepo();
  const commits: string[] = [];
  for (let i = 1; i <= HISTORY_COMMITS; i++) {
    let content = '';
    for (let line = 0; line < 80; line++) content += `${line === 40 ? `SEGMENT_WRITE_KEY=${fakeCredentials(`sig-git-${i}`).writeKey} ` : ''}${i} ${FILLER}`;
    commits.push(`commit refs/heads/main\ncommitter A <a@example.com> ${1_600_000_000 + i} +0000\ndata 2\nc\nM 100644 inline f${i % 7}.env\ndata ${Buffer.byteLength(content)}\n${content}\n`);
  }
  execFileSync('git', ['fast-import', '--quiet'], { cwd: repo.dir, input: commits.join(''), env: isolatedGitEnv(), maxBuffer: 1024 * 1024 * 1024 });
}, 120_000);

afterAll(() => {
  cleanupTemp();
  removeTempDirs();
});

/** Bytes the process has read so far (files, pipes from git): proof the scan is under way. */
function bytesRead(pid: number): number {
  try {
    return Number(/^rchar: (\d+)$/m.exec(readFileSync(`/proc/${pid}/io`, 'utf8'))?.[1] ?? 0);
  } catch {
    return 0;
  }
}

/** Wait until the scan (started with --verbose) has begun and read `bytes` more since. */
async function whenRead(run: RunningBin, bytes: number): Promise<void> {
  await run.waitForStderr(/segscan: \d+ rules loaded; scanning/);
  const pid = run.child.pid as number;
  const start = bytesRead(pid); // what loading segscan itself read
  let exited = false;
  void run.exited.then(() => (exited = true));
  while (!exited && bytesRead(pid) < start + bytes) await new Promise((resolve) => setTimeout(resolve, 20));
  if (exited) throw new Error(`segscan finished before reading ${bytes} bytes; stderr: ${run.stderr()}`);
}

interface Interrupted {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** Processes carrying the run's marker just before the signal: segscan and the git processes it started. */
  before: Array<{ pid: number; cmdline: string }>;
  leftBehind: Array<{ pid: number; cmdline: string }>;
}

/** Start a scan, wait until it has read `bytes`, send `signal`, and collect what it leaves. */
async function interrupt(args: string[], signal: NodeJS.Signals, bytes: number): Promise<Interrupted> {
  const marker = `SEGSCAN_HOSTILE_RUN=${randomUUID()}`;
  const [name, value] = marker.split('=') as [string, string];
  const run = startBinary([...args, '--verbose'], { env: { [name]: value } });
  await whenRead(run, bytes);
  const before = processesWithMarker(marker);
  run.child.kill(signal);
  const { code, signal: killedBy } = await run.exited;
  // git children get SIGKILL on abort; give the kernel a moment to reap them before looking.
  let leftBehind = processesWithMarker(marker);
  for (let i = 0; i < 50 && leftBehind.length > 0; i++) {
    await new Promise((resolve) => setTimeout(resolve, 20));
    leftBehind = processesWithMarker(marker);
  }
  for (const p of leftBehind) process.kill(p.pid, 'SIGKILL');
  return { code, signal: killedBy, stdout: run.stdout(), stderr: run.stderr(), before, leftBehind };
}

describe('a directory scan interrupted part way', () => {
  it('SIGINT: exit 130, JSON with the findings so far and incomplete: true', async () => {
    const result = await interrupt(['dir', tree, '--format', 'json'], 'SIGINT', 8 * 1024 * 1024);
    expect(result.signal).toBeNull();
    expect(result.code, result.stderr).toBe(130);
    const report = parseReport(result.stdout);
    expect(report.incomplete).toBe(true);
    expect(report.incompleteReason).toBe('interrupted');
    expect(report.findings.length).toBeGreaterThan(0);
    expect(report.findings.length).toBeLessThan(DIR_FILES / KEY_EVERY);
    expect(result.stderr).not.toMatch(/internal error|\n\s+at /);
  });

  it('SIGTERM with --output: exit 143, and the SARIF file written says executionSuccessful: false', async () => {
    const out = join(hostileTemp('signals-out'), 'report.sarif');
    const result = await interrupt(['dir', tree, '--format', 'sarif', '--output', out], 'SIGTERM', 8 * 1024 * 1024);
    expect(result.code, result.stderr).toBe(143);
    const log = JSON.parse(readFileSync(out, 'utf8')) as { runs: Array<{ results: unknown[]; invocations: Array<{ executionSuccessful: boolean }> }> };
    expect(log.runs[0]?.invocations[0]?.executionSuccessful).toBe(false);
    expect(log.runs[0]?.results.length).toBeGreaterThan(0);
    expect(readdirSync(join(out, '..'))).toEqual(['report.sarif']); // no temporary file left beside it
  });

  it('a second SIGINT stops at once, still with exit 130', async () => {
    const run = startBinary(['dir', tree, '--format', 'json', '--verbose']);
    await whenRead(run, 4 * 1024 * 1024);
    run.child.kill('SIGINT');
    run.child.kill('SIGINT');
    expect((await run.exited).code).toBe(130);
  });
});

describe('a history scan interrupted part way', () => {
  it('SIGINT: exit 130, the git processes it started are gone, JSON with the findings so far', async () => {
    const result = await interrupt(['git', repo.dir, '--format', 'json'], 'SIGINT', 6 * 1024 * 1024);
    expect(result.code, result.stderr).toBe(130);
    expect(result.before.filter((p) => /\bgit\b.*cat-file/.test(p.cmdline)).length).toBeGreaterThan(0); // the check below can fail
    expect(result.leftBehind).toEqual([]);
    const report = parseReport(result.stdout);
    expect(report.incomplete).toBe(true);
    expect(report.findings.length).toBeGreaterThan(0);
    expect(report.findings.length).toBeLessThan(HISTORY_COMMITS);
    // Commit details are read after the walk; an interrupted scan keeps the ids and says so.
    expect(report.findings.every((f) => /^[0-9a-f]{40}$/.test(f.commit?.sha ?? ''))).toBe(true);
    expect(report.warnings).toContainEqual(expect.stringMatching(/commit authors, dates and subjects are missing from this report: the scan was interrupted/));
  });

  it('SIGTERM: exit 143, the git processes are gone, SARIF says executionSuccessful: false', async () => {
    const result = await interrupt(['git', repo.dir, '--format', 'sarif'], 'SIGTERM', 6 * 1024 * 1024);
    expect(result.code, result.stderr).toBe(143);
    expect(result.leftBehind).toEqual([]);
    const log = JSON.parse(result.stdout) as { runs: Array<{ results: unknown[]; invocations: Array<{ executionSuccessful: boolean }> }> };
    expect(log.runs[0]?.invocations[0]?.executionSuccessful).toBe(false);
    expect(log.runs[0]?.results.length).toBeGreaterThan(0);
  });
});

describe('interrupted while waiting for input', () => {
  it('SIGINT while `segscan stdin` waits on a pipe that never closes: exit 130 with what arrived, marked incomplete', async () => {
    // An open pipe on stdin that is never closed, as with `tail -f log | segscan stdin`.
    const child = spawn(process.execPath, [BIN, 'stdin', '--format', 'json'], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    child.stdout.setEncoding('utf8').on('data', (t: string) => (stdout += t));
    child.stdin.write(`SEGMENT_WRITE_KEY=${fakeCredentials('sig-stdin').writeKey}\n`);
    const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    await new Promise((resolve) => setTimeout(resolve, 500)); // let it start reading
    child.kill('SIGINT');
    // A hang check, not a timing assertion: a process that ignores Ctrl-C is stopped after 5 s.
    const verdict = await Promise.race([exited, new Promise<'still running'>((resolve) => setTimeout(() => resolve('still running'), 5_000))]);
    if (verdict === 'still running') child.kill('SIGKILL');
    expect(verdict).toBe(130);
    const report = parseReport(stdout);
    expect(report.incomplete).toBe(true);
    expect(report.findings.map((f) => [f.start.line, f.start.column])).toEqual([[1, 19]]);
  });
});

// Trees that try to break the directory walk. test/cli/dir.test.ts covers the basic symlink loop,
// a symlink out of the root, a FIFO, an unreadable directory and a 50 MB line without keywords;
// these add sockets, a 2 GB sparse file, a 50 MB line dense with keywords, 100,000 files, hostile
// file names, symlink cycles, deep nesting and more permission cases.
import { execFileSync } from 'node:child_process';
import { appendFileSync, chmodSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fakeCredentials } from '../../src/rules/templates.js';
import { runCli } from '../helpers/cli.js';
import { cleanupTemp, expectOneLineError, fastTempBase, hostileTemp, parseReport, runBinary, runMeasured } from './support.js';

const keys = fakeCredentials('hostile-walker');
const envLine = `SEGMENT_WRITE_KEY=${keys.writeKey}\n`;
const servers: Server[] = [];

afterAll(async () => {
  await Promise.all(servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
  cleanupTemp();
});

async function listenOn(path: string): Promise<void> {
  const server = createServer();
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(path, resolve));
}

async function scan(args: string[]) {
  const result = await runCli([...args, '--format', 'json']);
  expect([0, 1], result.stderr).toContain(result.exitCode);
  return { exitCode: result.exitCode, report: parseReport(result.stdout), stderr: result.stderr };
}

const skippedAs = (report: ReturnType<typeof parseReport>, reason: string) => report.skipped.filter((s) => s.reason === reason).map((s) => s.path).sort();

describe('special files', () => {
  it('skips unix sockets and FIFOs (top level and nested) without blocking, and scans the rest', async () => {
    const root = hostileTemp('special');
    mkdirSync(join(root, 'run'));
    await listenOn(join(root, 'agent.sock'));
    await listenOn(join(root, 'run', 'nested.sock'));
    execFileSync('mkfifo', [join(root, 'run', 'pipe.env')]);
    writeFileSync(join(root, 'run', '.env'), envLine);
    const { exitCode, report } = await scan(['dir', root]);
    expect(exitCode).toBe(1);
    expect(report.findings.map((f) => f.path)).toEqual(['run/.env']);
    expect(skippedAs(report, 'not-regular-file')).toEqual(['agent.sock', 'run/nested.sock', 'run/pipe.env']);
  });

  it('does not follow a symlink to a FIFO or a device even with --follow-symlinks', async () => {
    const root = hostileTemp('special-links');
    execFileSync('mkfifo', [join(root, 'pipe')]);
    symlinkSync(join(root, 'pipe'), join(root, 'to-pipe.env'));
    symlinkSync('/dev/zero', join(root, 'zero.env'));
    writeFileSync(join(root, 'real.env'), envLine);
    const { report } = await scan(['dir', root, '--follow-symlinks']);
    expect(report.findings.map((f) => f.path)).toEqual(['real.env']);
    expect(skippedAs(report, 'symlink')).toEqual(['to-pipe.env', 'zero.env']);
    expect(skippedAs(report, 'not-regular-file')).toEqual(['pipe']);
  });

  it('skips a FIFO or a device named on the command line instead of reading it', async () => {
    const root = hostileTemp('special-args');
    execFileSync('mkfifo', [join(root, 'pipe')]);
    writeFileSync(join(root, '.env'), envLine);
    const { exitCode, report } = await scan(['dir', join(root, 'pipe'), '/dev/zero', join(root, '.env')]);
    expect(exitCode).toBe(1);
    expect(report.findings).toHaveLength(1);
    expect(report.skipped.map((s) => s.reason)).toEqual(['not-regular-file', 'not-regular-file']);
  });
});

describe('huge files', () => {
  it('scans a 2 GB sparse file in windows with a key at its end, holding a window, not the file', () => {
    const root = hostileTemp('sparse');
    execFileSync('truncate', ['-s', '2G', join(root, 'disk.env')]);
    appendFileSync(join(root, 'disk.env'), `\n${envLine}`);
    writeFileSync(join(root, 'small.env'), envLine);
    // Reading the file whole would need 2 GB of memory.
    const result = runMeasured(['dir', root, '--format', 'json']);
    expect(result.exitCode, result.stderr).toBe(1);
    const report = parseReport(result.stdout);
    expect(report.skipped).toEqual([]);
    expect(report.findings.map((f) => [f.path, f.start.line])).toEqual([['disk.env', 2], ['small.env', 1]]);
    expect(result.nodePeakKb).toBeGreaterThan(0);
    expect(result.nodePeakKb).toBeLessThan(512 * 1024);
  });

  it('with --max-file-size lists a 2 GB sparse file as too large, with its size, reading it only through the keyword gate', () => {
    const root = hostileTemp('sparse-limit');
    execFileSync('truncate', ['-s', '2G', join(root, 'disk.env')]);
    writeFileSync(join(root, 'small.env'), envLine);
    const result = runMeasured(['dir', root, '--format', 'json', '--max-file-size', '1GiB']);
    expect(result.exitCode, result.stderr).toBe(1);
    const report = parseReport(result.stdout);
    expect(report.skipped).toEqual([expect.objectContaining({ path: 'disk.env', reason: 'too-large', size: 2 * 1024 ** 3 })]);
    expect(report.skipped[0]).not.toHaveProperty('holdsKeywords');
    expect(report.findings.map((f) => f.path)).toEqual(['small.env']);
    expect(result.nodePeakKb).toBeLessThan(512 * 1024);
  });

  it('a 50 MB single line dense with rule keywords: scanned in windows to the one key at its end; with a lower limit listed as a skip that holds keywords', async () => {
    const root = hostileTemp('long-line');
    const noise = 'segment=1;sgp_;Basic ;'.repeat(2_400_000);
    writeFileSync(join(root, 'bundle.min.js'), `${noise}analytics.load("${keys.writeKey}");`);
    const scanned = runBinary(['dir', root, '--format', 'json']);
    expect(scanned.exitCode, scanned.stderr).toBe(1);
    expect(parseReport(scanned.stdout).findings.map((f) => [f.ruleId, f.start.line, f.start.column])).toEqual([['segment-write-key-browser', 1, noise.length + 17]]);
    const limited = await scan(['dir', root, '--max-file-size', '10MiB']);
    expect(limited.exitCode).toBe(0);
    expect(limited.report.skipped).toEqual([expect.objectContaining({ path: 'bundle.min.js', reason: 'too-large', size: noise.length + 51, holdsKeywords: true })]);
    const text = await runCli(['dir', root, '--max-file-size', '10MiB']);
    expect(text.stdout).toContain('bundle.min.js');
  });
});

describe('100,000 files', () => {
  let root: string;
  beforeAll(() => {
    root = hostileTemp('many', fastTempBase());
    for (let d = 0; d < 100; d++) {
      const dir = join(root, `d${d}`);
      mkdirSync(dir);
      for (let f = 0; f < 1000; f++) writeFileSync(join(dir, `f${f}.txt`), '');
    }
    writeFileSync(join(root, 'd57', 'f999.txt'), envLine);
  }, 120_000);

  it('scans every one of 100,000 empty files and finds the one key among them', () => {
    const result = runBinary(['dir', root, '--format', 'json']);
    expect(result.exitCode, result.stderr).toBe(1);
    const report = parseReport(result.stdout);
    expect(report.stats.filesScanned).toBe(100_000);
    expect(report.skipped).toEqual([]);
    expect(report.findings.map((f) => [f.path, f.start.line, f.start.column])).toEqual([['d57/f999.txt', 1, 19]]);
  });
});

describe('hostile file names', () => {
  it('finds keys in files whose names hold spaces, quotes, glob characters, a leading dash, backslashes and non-ASCII text', async () => {
    const names = ['with space.env', "it's \"quoted\".env", '*star*.env', '[abc].env', '{a,b}.env', '-rf.env', 'back\\slash.env', 'ünïcödé.env', '😀.env', '#hash.env', '!bang.env'];
    const root = hostileTemp('names');
    for (const name of names) writeFileSync(join(root, name), envLine);
    const { report } = await scan(['dir', root]);
    expect(report.findings.map((f) => f.path).sort()).toEqual([...names].sort());
  });

  it('finds a key in a file whose name contains a newline', async () => {
    const root = hostileTemp('newline-name');
    writeFileSync(join(root, 'two\nlines.env'), envLine);
    writeFileSync(join(root, 'plain.env'), envLine);
    const { report } = await scan(['dir', root]);
    // Either scanned, or at least listed as skipped: never silently dropped.
    const seen = [...report.findings.map((f) => f.path), ...report.skipped.map((s) => s.path)];
    expect(seen).toContain('two\nlines.env');
    expect(report.findings.map((f) => f.path).sort()).toEqual(['plain.env', 'two\nlines.env']);
  });

  it('finds a key in a file whose name is not valid UTF-8', async () => {
    const root = hostileTemp('latin1-name');
    writeFileSync(Buffer.concat([Buffer.from(`${root}/caf`), Buffer.from([0xe9]), Buffer.from('.env')]), envLine);
    const { exitCode, report } = await scan(['dir', root]);
    expect(report.skipped).toEqual([]);
    expect(report.findings).toHaveLength(1);
    expect(exitCode).toBe(1);
  });
});

describe('cycles and depth', () => {
  it('reports a symlink cycle (a -> b -> a) as a broken symlink with --follow-symlinks, and a directory cycle does not loop', async () => {
    const root = hostileTemp('cycles');
    symlinkSync('b.env', join(root, 'a.env'));
    symlinkSync('a.env', join(root, 'b.env'));
    mkdirSync(join(root, 'sub', 'deeper'), { recursive: true });
    symlinkSync('../..', join(root, 'sub', 'deeper', 'up'));
    symlinkSync('.', join(root, 'self'));
    writeFileSync(join(root, 'sub', 'deeper', '.env'), envLine);
    const { report } = await scan(['dir', root, '--follow-symlinks']);
    expect(report.findings.map((f) => f.path)).toEqual(['sub/deeper/.env']);
    expect(report.skipped.filter((s) => s.reason === 'symlink').map((s) => [s.path, s.detail]).sort()).toEqual([
      ['a.env', 'broken symlink (ELOOP)'],
      ['b.env', 'broken symlink (ELOOP)'],
      ['self', 'points to a directory or special file; not followed'],
      ['sub/deeper/up', 'points to a directory or special file; not followed'],
    ]);
  });

  it('walks a directory 300 levels deep', async () => {
    const root = hostileTemp('deep');
    const parts = Array.from({ length: 300 }, (_, i) => `d${i}`);
    mkdirSync(join(root, ...parts), { recursive: true });
    writeFileSync(join(root, ...parts, '.env'), envLine);
    const { report } = await scan(['dir', root]);
    expect(report.findings.map((f) => f.path)).toEqual([`${parts.join('/')}/.env`]);
  });
});

describe('permissions (as an unprivileged user: the tests may run as root)', () => {
  function permissionTree(): string {
    const root = hostileTemp('perms');
    chmodSync(root, 0o755);
    mkdirSync(join(root, 'listable-only'));
    writeFileSync(join(root, 'listable-only', 'inside.env'), 'x');
    mkdirSync(join(root, 'ok', 'deep', 'closed'), { recursive: true });
    writeFileSync(join(root, 'ok', 'deep', 'closed', 'hidden.env'), 'x');
    writeFileSync(join(root, 'ok', 'deep', '.env'), envLine);
    chmodSync(join(root, 'listable-only'), 0o644); // r without x: names can be read, files cannot be opened
    chmodSync(join(root, 'ok', 'deep', 'closed'), 0o000);
    return root;
  }

  it('lists files in a directory it may list but not enter, warns about a closed directory deep down, and finds the key beside them', () => {
    const root = permissionTree();
    const result = runBinary(['dir', root, '--format', 'json'], { asNobody: true });
    expect(result.exitCode, result.stderr).toBe(1);
    const report = parseReport(result.stdout);
    expect(report.findings.map((f) => f.path)).toEqual(['ok/deep/.env']);
    expect(report.skipped).toContainEqual(expect.objectContaining({ path: 'listable-only/inside.env', reason: 'unreadable', detail: 'EACCES' }));
    expect(report.warnings.join('\n')).toMatch(/cannot read directory ok\/deep\/closed \(EACCES\)/);
  });

  it('a scan root that cannot be read at all is an error (exit 2, one line), not a clean scan', () => {
    const root = hostileTemp('closed-root');
    chmodSync(root, 0o755);
    mkdirSync(join(root, 'closed'));
    writeFileSync(join(root, 'closed', '.env'), envLine);
    chmodSync(join(root, 'closed'), 0o000);
    // A file named on the command line that cannot be read is already exit 2; a directory should be too.
    const file = hostileTemp('closed-file');
    chmodSync(file, 0o755);
    writeFileSync(join(file, '.env'), envLine);
    chmodSync(join(file, '.env'), 0o000);
    const named = runBinary(['dir', join(file, '.env')], { asNobody: true });
    expectOneLineError({ exitCode: named.exitCode ?? -1, stderr: named.stderr }, /cannot read .*\.env \(EACCES\)/);
    const result = runBinary(['dir', join(root, 'closed')], { asNobody: true });
    expectOneLineError({ exitCode: result.exitCode ?? -1, stderr: result.stderr }, /closed.*EACCES/);
  });
});

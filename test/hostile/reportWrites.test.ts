// Reports are written atomically (a temporary file, then a rename): when writing fails - a
// read-only directory, a full disk, a file-size limit - no truncated report is left behind, an
// existing report is untouched, and segscan exits 2 with one clear line.
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, lstatSync, mkdirSync, readFileSync, readdirSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fakeCredentials } from '../../src/rules/templates.js';
import { BIN, runCli } from '../helpers/cli.js';
import { cleanupTemp, expectOneLineError, hostileTemp, isRoot, runBinary } from './support.js';

afterAll(cleanupTemp);

const treeKeys = Array.from({ length: 40 }, (_, i) => fakeCredentials(`writes-${i}`).writeKey);
/** A tree whose report is a few kilobytes (many findings), so a small limit cuts it part way. */
function treeWithFindings(): string {
  const root = hostileTemp('writes-tree');
  chmodSync(root, 0o755);
  treeKeys.forEach((key, i) => writeFileSync(join(root, `app${i}.env`), `SEGMENT_WRITE_KEY=${key}\n`));
  return root;
}
const OLD_REPORT = '{"previous": "report, must survive"}\n';

const err = (r: { exitCode: number | null; stderr: string }) => ({ exitCode: r.exitCode ?? -1, stderr: r.stderr });

describe('--output that cannot be written', () => {
  it('a read-only directory (as an unprivileged user): exit 2, one line naming the file, nothing written', () => {
    const tree = treeWithFindings();
    const out = hostileTemp('readonly-out');
    chmodSync(out, 0o555);
    const result = runBinary(['dir', tree, '--format', 'json', '--output', join(out, 'report.json')], { asNobody: true });
    expectOneLineError(err(result), /cannot write the report to .*report\.json \(EACCES\)/);
    expect(readdirSync(out)).toEqual([]);
  });

  it('a directory that does not exist, a path under a regular file, and a directory as the target: exit 2, one line each', async () => {
    const tree = treeWithFindings();
    const out = hostileTemp('bad-targets');
    writeFileSync(join(out, 'file'), 'x');
    mkdirSync(join(out, 'a-directory.json'));
    for (const [target, code] of [[join(out, 'missing', 'report.json'), 'ENOENT'], [join(out, 'file', 'report.json'), 'ENOTDIR'], [join(out, 'a-directory.json'), 'EISDIR']] as const) {
      const result = await runCli(['dir', tree, '--format', 'sarif', '--output', target]);
      expectOneLineError(result, new RegExp(`cannot write the report to .* \\(${code}\\)`));
      expect(result.stdout).toBe('');
    }
    expect(readdirSync(out).sort()).toEqual(['a-directory.json', 'file']);
  });

  it('a file-size limit hit part way through the write (RLIMIT_FSIZE): exit 2, the old report untouched, no temporary file left', () => {
    const tree = treeWithFindings();
    const out = hostileTemp('fsize-out');
    const target = join(out, 'report.json');
    writeFileSync(target, OLD_REPORT);
    // 4 KiB is far less than the report of 40 findings: the write fails with EFBIG part way.
    const result = runBinary(['dir', tree, '--format', 'json', '--output', target], { prefix: ['prlimit', '--fsize=4096'] });
    expectOneLineError(err(result), /cannot write the report to .*report\.json \(EFBIG\)/);
    expect(readFileSync(target, 'utf8')).toBe(OLD_REPORT);
    expect(readdirSync(out)).toEqual(['report.json']);
  });

  // A real full disk: a 64 KiB tmpfs filled up. Mounting needs privileges, so without them the
  // RLIMIT_FSIZE case above is the simulated failure.
  const canMount = isRoot() && spawnSync('mount', ['--version']).status === 0;
  it.skipIf(!canMount)('a full disk (a tiny tmpfs): exit 2 naming ENOSPC, the old report untouched, no temporary file left', (context) => {
    const tree = treeWithFindings();
    const mountPoint = hostileTemp('tmpfs');
    const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', mountPoint]).status === 0;
    if (!mounted) return context.skip(); // no mount privilege here (e.g. an unprivileged container)
    try {
      const target = join(mountPoint, 'report.json');
      writeFileSync(target, OLD_REPORT);
      // Fill the rest of the file system.
      try {
        writeFileSync(join(mountPoint, 'filler'), Buffer.alloc(128 * 1024, 1));
      } catch {
        // ENOSPC: the disk is now full, which is the point.
      }
      const result = runBinary(['dir', tree, '--format', 'json', '--output', target]);
      expectOneLineError(err(result), /cannot write the report to .*report\.json \(ENOSPC\)/);
      expect(readFileSync(target, 'utf8')).toBe(OLD_REPORT);
      expect(readdirSync(mountPoint).sort()).toEqual(['filler', 'report.json']);
    } finally {
      execFileSync('umount', [mountPoint]);
    }
  });

  it('a baseline that cannot be written fails the same way and leaves the old baseline alone', (context) => {
    const help = runBinary(['--help']);
    if (!/\bbaseline\b/.test(help.stdout)) return context.skip(); // the baseline command is not in this build yet
    const tree = treeWithFindings();
    const out = hostileTemp('baseline-out');
    const target = join(out, 'baseline.json');
    writeFileSync(target, OLD_REPORT);
    const result = runBinary(['baseline', 'dir', tree, '--output', target], { prefix: ['prlimit', '--fsize=1024'] });
    expectOneLineError(err(result), /baseline\.json \(EFBIG\)/);
    expect(readFileSync(target, 'utf8')).toBe(OLD_REPORT);
    expect(readdirSync(out)).toEqual(['baseline.json']);
  });
});

describe('--output that can be written', () => {
  it('replaces an existing report whole, leaves no temporary file, and keeps exit 1 for findings', () => {
    const tree = treeWithFindings();
    const out = hostileTemp('good-out');
    const target = join(out, 'report.json');
    writeFileSync(target, OLD_REPORT);
    const result = runBinary(['dir', tree, '--format', 'json', '--output', target]);
    expect(result.exitCode, result.stderr).toBe(1);
    expect(result.stdout).toBe('');
    const report = JSON.parse(readFileSync(target, 'utf8')) as { findings: unknown[] };
    expect(report.findings).toHaveLength(40);
    expect(readdirSync(out)).toEqual(['report.json']);
    const written = readFileSync(target, 'utf8');
    expect(treeKeys.filter((key) => written.includes(key))).toEqual([]);
  });

  it('writes through a named pipe (as to /dev/stdout or /dev/null) instead of replacing it with a file', () => {
    const tree = treeWithFindings();
    const out = hostileTemp('fifo-out');
    const fifo = join(out, 'report.pipe');
    execFileSync('mkfifo', [fifo]);
    // A reader on the pipe in the same shell as segscan: the report must arrive through it.
    const result = spawnSync('bash', ['-c', `timeout 20 cat "$1" > "$2" & timeout 20 "$3" "$4" dir "$5" --format json --output "$1"; s=$?; wait; exit $s`, 'sh',
      fifo, join(out, 'received.json'), process.execPath, BIN, tree], { encoding: 'utf8', timeout: 30_000, env: { ...process.env, NO_COLOR: '1' } });
    expect(result.status, result.stderr).toBe(1);
    expect(statSync(fifo).isFIFO()).toBe(true);
    expect((JSON.parse(readFileSync(join(out, 'received.json'), 'utf8')) as { findings: unknown[] }).findings).toHaveLength(40);
    expect(readdirSync(out).sort()).toEqual(['received.json', 'report.pipe']);
  });

  it('never writes through a symbolic link to a file: exit 2, one line, link and target untouched', () => {
    const tree = treeWithFindings();
    const out = hostileTemp('link-out');
    mkdirSync(join(out, 'reports'));
    writeFileSync(join(out, 'reports', 'real.json'), OLD_REPORT);
    symlinkSync(join('reports', 'real.json'), join(out, 'report.json'));
    const result = runBinary(['dir', tree, '--format', 'json', '--output', join(out, 'report.json')]);
    expectOneLineError(err(result), /report\.json: it is a symbolic link, and segscan does not write through links; remove the link or name the file itself/);
    expect(lstatSync(join(out, 'report.json')).isSymbolicLink()).toBe(true);
    expect(readFileSync(join(out, 'reports', 'real.json'), 'utf8')).toBe(OLD_REPORT);
    expect(readdirSync(out).sort()).toEqual(['report.json', 'reports']);
  });

  it('keeps the mode of a replaced report, and creates a new --no-redact report 0600', () => {
    const tree = treeWithFindings();
    const out = hostileTemp('modes-out');
    const kept = join(out, 'kept.json');
    writeFileSync(kept, OLD_REPORT);
    chmodSync(kept, 0o600);
    expect(runBinary(['dir', tree, '--format', 'json', '--no-redact', '--output', kept]).exitCode).toBe(1);
    expect(statSync(kept).mode & 0o777).toBe(0o600);
    chmodSync(kept, 0o640);
    expect(runBinary(['dir', tree, '--format', 'json', '--output', kept]).exitCode).toBe(1);
    expect(statSync(kept).mode & 0o777).toBe(0o640);
    const fresh = join(out, 'fresh.json');
    expect(runBinary(['dir', tree, '--format', 'json', '--no-redact', '--output', fresh]).exitCode).toBe(1);
    expect(statSync(fresh).mode & 0o777).toBe(0o600);
    expect(readFileSync(fresh, 'utf8')).toContain(treeKeys[0]);
    const redacted = join(out, 'redacted.json');
    expect(runBinary(['dir', tree, '--format', 'json', '--output', redacted], { prefix: ['bash', '-c', 'umask 022; exec "$@"', 'umask'] }).exitCode).toBe(1);
    expect(statSync(redacted).mode & 0o777).toBe(0o644);
  });
});

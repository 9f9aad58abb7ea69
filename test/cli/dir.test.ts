import { chmodSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { fakeCredentials } from '../../src/rules/templates.js';
import { runBin, runCli } from '../helpers/cli.js';
import { FIXTURES, expandFixtureTree, tempDir } from '../helpers/fixtureTree.js';

interface JsonFinding { ruleId: string; path: string; start: { line: number; column: number }; end: { line: number; column: number }; secret: string; confidence: string }
interface JsonReport { findings: JsonFinding[]; skipped: Array<{ path: string; reason: string; holdsKeywords?: boolean }>; warnings: string[]; stats: { filesScanned: number } }

const keys = fakeCredentials('cli-dir');
const every = expandFixtureTree('rules/every-kind', 'every-kind');
const expected = JSON.parse(readFileSync(join(FIXTURES, 'rules/every-kind/expected.json'), 'utf8')) as Array<{ ruleId: string; path: string; line: number; column: number }>;

async function scanJson(args: string[], cwd?: string) {
  const result = await runCli([...args, '--format', 'json'], cwd ? { cwd } : {});
  return { ...result, report: JSON.parse(result.stdout) as JsonReport };
}

describe('segscan dir over a tree with every credential kind', () => {
  it('reports exactly the expected findings at the right line and column, exit 1', async () => {
    const { exitCode, report } = await scanJson(['dir', every.root]);
    expect(exitCode).toBe(1);
    const got = report.findings.map((f) => ({ ruleId: f.ruleId, path: f.path, line: f.start.line, column: f.start.column }));
    const sort = (a: { path: string; line: number; column: number }, b: { path: string; line: number; column: number }) => a.path.localeCompare(b.path) || a.line - b.line || a.column - b.column;
    expect(got.sort(sort)).toEqual([...expected].sort(sort));
  });

  it('never prints a generated secret in any format unless --no-redact', async () => {
    expect(every.generated.length).toBeGreaterThan(10);
    for (const format of ['text', 'json', 'sarif', 'github']) {
      const { stdout, stderr } = await runCli(['dir', every.root, '--format', format]);
      const leaked = every.generated.filter((secret) => secret.length >= 16 && (stdout.includes(secret) || stderr.includes(secret)));
      expect(leaked, format).toEqual([]);
    }
    const { report } = await scanJson(['dir', every.root, '--no-redact']);
    expect(report.findings.some((f) => every.generated.includes(f.secret))).toBe(true);
  });

  it('prints path:line:column, the rule and a redacted secret in text output', async () => {
    const tree = tempDir({ 'deploy/.env': `# deploy\nSEGMENT_PUBLIC_API_TOKEN=${keys.publicApiToken}\n` });
    const { exitCode, stdout } = await runCli(['dir', tree]);
    expect(exitCode).toBe(1);
    expect(stdout).toContain('deploy/.env:2:26');
    expect(stdout).toContain('segment-public-api-token');
    expect(stdout).toContain('sgp_');
    expect(stdout).not.toContain(keys.publicApiToken);
    expect(stdout).not.toMatch(/\x1b\[/); // no colour when not a terminal
  });

  it('writes SARIF with the secret nowhere in the file', async () => {
    const tree = tempDir({ 'config.json': `{"segment": {"writeKey": "${keys.writeKey}"}}\n` });
    const out = join(tree, 'report.sarif');
    const { exitCode, stdout } = await runCli(['dir', tree, '--exclude', 'report.sarif', '--format', 'sarif', '--output', out]);
    expect(exitCode).toBe(1);
    expect(stdout).toBe('');
    const sarif = readFileSync(out, 'utf8');
    expect(sarif).not.toContain(keys.writeKey);
    const log = JSON.parse(sarif) as { runs: Array<{ automationDetails: { id: string }; results: Array<{ locations: Array<{ physicalLocation: { artifactLocation: { uri: string; uriBaseId: string }; region: { startLine: number } } }> }> }> };
    const run = log.runs[0];
    expect(run?.automationDetails.id).toBe('segscan/dir/');
    expect(run?.results[0]?.locations[0]?.physicalLocation).toMatchObject({ artifactLocation: { uri: 'config.json', uriBaseId: '%SRCROOT%' }, region: { startLine: 1 } });
  });
});

describe('exit codes', () => {
  it('is 0 on a clean tree and says so briefly', async () => {
    const { exitCode, stdout } = await runCli(['dir', tempDir({ 'a.js': 'console.log("hello segment")\n' })]);
    expect(exitCode).toBe(0);
    expect(stdout).toMatch(/No Segment credentials found/);
  });

  it('uses --exit-code for findings', async () => {
    const tree = tempDir({ '.env': `SEGMENT_WRITE_KEY=${keys.writeKey}\n` });
    expect((await runCli(['dir', tree, '--exit-code', '7'])).exitCode).toBe(7);
  });

  it('is 2 with one line for a missing path', async () => {
    const { exitCode, stderr, stdout } = await runCli(['dir', '/no/such/path']);
    expect(exitCode).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toBe('segscan: error: path not found: /no/such/path; check the path and try again\n');
  });

  it('is 2 for an unknown option, with a usage hint', async () => {
    const { exitCode, stderr } = await runCli(['dir', '.', '--no-such-flag']);
    expect(exitCode).toBe(2);
    expect(stderr).toMatch(/^segscan: error: unknown option --.*such-flag.*see segscan --help/);
  });

  it('is 2 for a bad --max-file-size', async () => {
    const { exitCode, stderr } = await runCli(['dir', '.', '--max-file-size', 'huge']);
    expect(exitCode).toBe(2);
    expect(stderr).toMatch(/--max-file-size 'huge' is not a size/);
  });

  it('sets the process exit code from the built binary', () => {
    const tree = tempDir({ '.env': `SEGMENT_WRITE_KEY=${keys.writeKey}\n` });
    expect(runBin(['dir', tree, '--quiet']).exitCode).toBe(1);
    expect(runBin(['dir', tempDir({ a: 'x' })]).exitCode).toBe(0);
    expect(runBin(['dir', '/no/such/path']).exitCode).toBe(2);
  });
});

describe('what the walk scans and skips', () => {
  it('scans hidden files, skips .git and node_modules unless included, honours --exclude', async () => {
    const line = `SEGMENT_WRITE_KEY=${keys.writeKey}\n`;
    const tree = tempDir({ '.env.production': line, '.github/workflows/ci.yml': `env:\n  SEGMENT_WRITE_KEY: ${keys.writeKey}\n`, 'node_modules/pkg/.env': line, '.git/config.env': line, 'vendor/x.env': line });
    const paths = async (...extra: string[]) => (await scanJson(['dir', tree, ...extra])).report.findings.map((f) => f.path).sort();
    expect(await paths()).toEqual(['.env.production', '.github/workflows/ci.yml', 'vendor/x.env']);
    expect(await paths('--exclude', 'vendor/**')).toEqual(['.env.production', '.github/workflows/ci.yml']);
    expect(await paths('--include', 'node_modules/**')).toEqual(['node_modules/pkg/.env']);
  });

  it('names files relative to the root: under it as they are, outside it with ../, a root of / too', async () => {
    const line = `SEGMENT_WRITE_KEY=${keys.writeKey}\n`;
    const base = tempDir({ 'work/app/.env': line, 'work/lib/deep/er/x.env': line, 'other/y.env': line });
    const paths = async (args: string[], cwd: string) => (await scanJson(['dir', ...args], cwd)).report.findings.map((f) => f.path).sort();
    // Two paths: the root is the working directory.
    expect(await paths(['app', 'lib', '../other'], join(base, 'work'))).toEqual(['../other/y.env', 'app/.env', 'lib/deep/er/x.env']);
    // One directory: it is the root, given with a trailing slash or through `..`.
    expect(await paths([`${join(base, 'work')}/`], base)).toEqual(['app/.env', 'lib/deep/er/x.env']);
    expect(await paths(['../work/lib/..'], join(base, 'other'))).toEqual(['app/.env', 'lib/deep/er/x.env']);
    expect(await paths(['other/y.env', 'work/app'], base)).toEqual(['other/y.env', 'work/app/.env']);
    // The filesystem root as the working directory: paths have no leading slash.
    const fromRoot = base.slice(1);
    expect(await paths([`${fromRoot}/other`, `${fromRoot}/work/app`], '/')).toEqual([`${fromRoot}/other/y.env`, `${fromRoot}/work/app/.env`]);
  });

  it('with --max-file-size lists oversized files as skipped, says when one holds Segment keywords, and scans binaries', async () => {
    const tree = tempDir({
      'big.env': `SEGMENT_WRITE_KEY=${keys.writeKey}\n${'x'.repeat(2048)}`,
      'big.log': 'nothing to see\n'.repeat(200),
      'image.png': Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 1]),
      'small.txt': 'hello',
    });
    const { report, exitCode } = await scanJson(['dir', tree, '--max-file-size', '1KiB']);
    expect(exitCode).toBe(0);
    expect(report.skipped.map((s) => [s.path, s.reason, s.holdsKeywords ?? false]).sort()).toEqual([['big.env', 'too-large', true], ['big.log', 'too-large', false]]);
    expect(report.stats.filesScanned).toBe(2);
    expect(report.warnings).toEqual(['1 file skipped as too large holds Segment keywords and could hide a key: big.env; raise or drop --max-file-size to scan it']);
    const text = await runCli(['dir', tree, '--max-file-size', '1KiB']);
    expect(text.stdout).toContain('big.env');
    // --strict: a skip that could hide a key fails the scan.
    const strict = await runCli(['dir', tree, '--max-file-size', '1KiB', '--strict']);
    expect(strict.exitCode).toBe(2);
    expect(strict.stdout).toContain('SCAN INCOMPLETE: strict: 1 skipped file could hide a key.');
    // Without a limit every file is scanned, the big one too.
    const all = await scanJson(['dir', tree]);
    expect(all.report.findings.map((f) => f.path)).toEqual(['big.env']);
  });

  it('does not follow symlinks by default, lists them, and never loops', async () => {
    const outside = tempDir({ '.env': `SEGMENT_WRITE_KEY=${keys.writeKey}\n` });
    const tree = tempDir({ 'real.txt': 'nothing here' });
    symlinkSync(join(outside, '.env'), join(tree, 'outside.env'));
    mkdirSync(join(tree, 'dir'));
    symlinkSync(tree, join(tree, 'dir', 'loop'));
    symlinkSync(join(tree, 'real.txt'), join(tree, 'inside-link.txt'));
    const { report, exitCode } = await scanJson(['dir', tree]);
    expect(exitCode).toBe(0);
    expect(report.skipped.filter((s) => s.reason === 'symlink').map((s) => s.path).sort()).toEqual(['dir/loop', 'inside-link.txt', 'outside.env']);
    const followed = await scanJson(['dir', tree, '--follow-symlinks']);
    expect(followed.exitCode).toBe(0); // the link pointing outside the root is still not followed
    expect(followed.report.stats.filesScanned).toBe(2);
  });

  it('skips a FIFO without blocking on it', async () => {
    const tree = tempDir({ 'a.txt': 'x' });
    execFileSync('mkfifo', [join(tree, 'pipe')]);
    const { report } = await scanJson(['dir', tree]);
    expect(report.skipped).toEqual([expect.objectContaining({ path: 'pipe', reason: 'not-regular-file' })]);
  });

  it('warns about unreadable files and directories and goes on (as an unprivileged user)', () => {
    const tree = tempDir({ 'ok/.env': `SEGMENT_WRITE_KEY=${keys.writeKey}\n`, 'locked/secret.env': 'x', 'closed.env': 'y' });
    chmodSync(join(tree, 'locked'), 0o000);
    chmodSync(join(tree, 'closed.env'), 0o000);
    chmodSync(tree, 0o755);
    const asNobody = (args: string[]) => execFileSync('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    try {
      stdout = asNobody([join(FIXTURES, '../dist/bin.js'), 'dir', tree, '--format', 'json']);
    } catch (e) {
      stdout = (e as { stdout: string }).stdout;
    }
    const report = JSON.parse(stdout) as JsonReport;
    expect(report.findings.map((f) => f.path)).toEqual(['ok/.env']);
    expect(report.skipped).toContainEqual(expect.objectContaining({ path: 'closed.env', reason: 'unreadable' }));
    expect(report.warnings.join('\n')).toMatch(/cannot read directory locked \(EACCES\)/);
  });
});

describe('segscan stdin', () => {
  it('scans standard input under the name given with --path', async () => {
    const result = await runCli(['stdin', '--path', 'deploy/.env', '--format', 'json'], { stdin: `A=1\nSEGMENT_WRITE_KEY=${keys.writeKey}\n` });
    expect(result.exitCode).toBe(1);
    const report = JSON.parse(result.stdout) as JsonReport;
    expect(report.findings.map((f) => [f.path, f.start.line, f.start.column, f.confidence])).toEqual([['deploy/.env', 2, 19, 'high']]);
  });

  it('is clean on clean input', async () => {
    expect((await runCli(['stdin'], { stdin: 'hello' })).exitCode).toBe(0);
  });
});

describe('files in odd encodings and shapes', () => {
  it('finds the key in CRLF, BOM and UTF-16 files at the same position', async () => {
    const body = `a: 1\r\nSEGMENT_WRITE_KEY: ${keys.writeKey}\r\n`;
    const tree = tempDir({
      'crlf.env': body,
      'bom.env': Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(body)]),
      'utf16.env': Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(body, 'utf16le')]),
    });
    const { report } = await scanJson(['dir', tree]);
    expect(report.findings.map((f) => [f.path, f.start.line, f.start.column]).sort()).toEqual([['bom.env', 2, 20], ['crlf.env', 2, 20], ['utf16.env', 2, 20]]);
  });

  it('finds a key in a file with a 50 MB single line when the limit allows it', async () => {
    const tree = tempDir();
    writeFileSync(join(tree, 'bundle.min.js'), `${'var a=1;'.repeat(6_250_000)}analytics.load("${keys.writeKey}");`);
    const { report } = await scanJson(['dir', tree, '--max-file-size', '64MiB']);
    expect(report.findings.map((f) => [f.ruleId, f.start.line, f.start.column])).toEqual([['segment-write-key-browser', 1, 50_000_017]]);
  });
});

// A scan of untrusted content cannot be silenced, hijacked or turned against the machine it runs
// on (README "Trust model"). Each case here is an attack that worked against an earlier build:
// real repositories, the real CLI, outputs read as a user (or a CI runner) would read them.
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, lstatSync, mkdirSync, readFileSync, readdirSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { redactSecret } from '../../src/engine/redact.js';
import { fakeCredentials } from '../../src/rules/templates.js';
import { runCli } from '../helpers/cli.js';
import { createTestRepo, removeTempDirs, type TestRepo } from '../helpers/gitRepo.js';
import { startFakeSegment } from '../verify/fakeSegment.js';
import { cleanupTemp, expectOneLineError, hostileTemp, parseReport, runBinary } from './support.js';

afterAll(() => {
  removeTempDirs();
  cleanupTemp();
});

const key = fakeCredentials('untrusted').writeKey;
const keyLine = `SEGMENT_WRITE_KEY=${key}\n`;
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

function repoWith(files: Record<string, string | Buffer>): TestRepo {
  const repo = createTestRepo();
  for (const [path, content] of Object.entries(files)) repo.write(path, content);
  repo.commit('content');
  return repo;
}

/** A file standing for the victim's ~/.bashrc: outside every scanned tree, mode 0600. */
function victimFile(): string {
  const home = hostileTemp('victim-home');
  const rc = join(home, '.bashrc');
  writeFileSync(rc, 'export PATH=$HOME/bin:$PATH\n');
  chmodSync(rc, 0o600);
  return rc;
}

describe("output.file in the scanned tree's config", () => {
  it('never writes through a committed link to a file outside the repository (git, dir, staged)', async () => {
    const rc = victimFile();
    const repo = repoWith({ '.segscan.yaml': 'output:\n  file: report.txt\n', 'app/.env': keyLine });
    symlinkSync(rc, join(repo.dir, 'report.txt'));
    for (const argv of [['git', '.'], ['dir', '.'], ['staged', '.']]) {
      const result = await runCli(argv, { cwd: repo.dir });
      expect(readFileSync(rc, 'utf8'), argv[0]).toBe('export PATH=$HOME/bin:$PATH\n');
      expect(statSync(rc).mode & 0o777).toBe(0o600);
      expect(result.stderr + result.stdout).not.toContain(key);
    }
    const git = await runCli(['git', '.'], { cwd: repo.dir });
    expect(git.exitCode).toBe(1);
    expect(git.stdout).toContain("'output.file' ignored: a config in the scanned tree may not set it; pass --output on the command line");
    expect(lstatSync(join(repo.dir, 'report.txt')).isSymbolicLink()).toBe(true);
  });

  it('creates nothing through a committed link to a directory, and a name holding newlines goes nowhere', async () => {
    const elsewhere = hostileTemp('elsewhere');
    const repo = repoWith({ '.segscan.yaml': 'output:\n  file: "reports/out.txt"\n', 'app/.env': keyLine });
    symlinkSync(elsewhere, join(repo.dir, 'reports'));
    const viaLink = await runCli(['git', '.', '--format', 'github'], { cwd: repo.dir });
    expect(viaLink.exitCode).toBe(1);
    expect(readdirSync(elsewhere)).toEqual([]);
    writeFileSync(join(repo.dir, '.segscan.yaml'), 'output:\n  file: "x\\n; touch /tmp/pwned-by-segscan\\n.txt"\n');
    const named = await runCli(['dir', '.'], { cwd: repo.dir });
    expect(named.exitCode).toBe(1);
    expect(readdirSync(repo.dir).some((n) => n.startsWith('x'))).toBe(false);
  });

  it("the invoker's --output through a linked directory inside the scanned tree is refused: exit 2, one line", async () => {
    const elsewhere = hostileTemp('runner-dir');
    const repo = repoWith({ 'app/.env': keyLine });
    symlinkSync(elsewhere, join(repo.dir, 'reports'));
    const result = await runCli(['git', '.', '--output', 'reports/segscan.sarif', '--format', 'sarif'], { cwd: repo.dir });
    expectOneLineError({ exitCode: result.exitCode, stderr: result.stderr }, /reports is a symbolic link inside the scanned tree; write the report outside the scanned tree or remove the link/);
    expect(readdirSync(elsewhere)).toEqual([]);
  });
});

describe('a range scan takes its policy from the base commit', () => {
  it("a range that adds an exclude-everything config is still scanned by the base's policy, and said so", async () => {
    const repo = repoWith({ 'README.md': 'base\n' });
    const base = repo.rev();
    repo.write('.segscan.yaml', 'exclude: ["**"]\n');
    repo.write('app/.env', keyLine);
    const head = repo.commit('silence and add a key');
    const result = await runCli(['git', '.', '--range', `${base}..${head}`, '--format', 'json'], { cwd: repo.dir });
    expect(result.exitCode).toBe(1);
    const report = parseReport(result.stdout);
    expect(report.findings.map((f) => f.path)).toEqual(['app/.env']);
    expect(report.warnings).toContain(`this range adds .segscan.yaml; the scan used the policy at ${base.slice(0, 7)} (none)`);
  });

  it("a range that edits the base's baseline to accept its key is still reported, and said so", async () => {
    const repo = repoWith({ '.segscan.yaml': 'baseline: .segscan-baseline.json\n', '.segscan-baseline.json': '{"version": 1, "entries": []}\n' });
    const base = repo.rev();
    repo.write('.segscan-baseline.json', JSON.stringify({ version: 1, entries: [{ path: 'app/.env', ruleId: 'segment-credential-variable', secretHash: sha256(key) }] }));
    repo.write('app/.env', keyLine);
    const head = repo.commit('accept my own key');
    const result = await runCli(['git', '.', '--range', `${base}..${head}`, '--format', 'json'], { cwd: repo.dir });
    expect(result.exitCode).toBe(1);
    const report = parseReport(result.stdout);
    expect(report.findings.map((f) => f.path)).toEqual(['app/.env']);
    expect(report.warnings).toContain(`this range changes .segscan-baseline.json; the scan used the baseline at ${base.slice(0, 7)}`);
  });

  it('a segscan:allow the range adds is a suppressed SARIF result, counted in the summary', async () => {
    const repo = repoWith({ 'README.md': 'base\n' });
    const base = repo.rev();
    repo.write('app/.env', `SEGMENT_WRITE_KEY=${key} # segscan:allow trust me\n`);
    const head = repo.commit('allowed');
    const sarif = await runCli(['git', '.', '--range', `${base}..${head}`, '--format', 'sarif'], { cwd: repo.dir });
    expect(sarif.exitCode).toBe(0);
    const results = (JSON.parse(sarif.stdout) as { runs: Array<{ results: Array<{ suppressions?: unknown[] }> }> }).runs[0]?.results ?? [];
    expect(results.map((r) => r.suppressions)).toEqual([[{ kind: 'inSource', justification: 'segscan:allow: trust me' }]]);
    const text = await runCli(['git', '.', '--range', `${base}..${head}`], { cwd: repo.dir });
    expect(text.stdout).toMatch(/No Segment credentials found in .*; 1 suppressed/);
    expect(text.stdout).toContain('Suppressed (reported, not counted):');
    const strict = await runCli(['git', '.', '--range', `${base}..${head}`, '--strict'], { cwd: repo.dir });
    expect(strict.exitCode).toBe(1);
  });
});

describe('--redact=<value>', () => {
  const tree = () => {
    const dir = hostileTemp('redact');
    writeFileSync(join(dir, '.env'), keyLine);
    return dir;
  };

  it.each([['100'], ['50'], ['0']])('--redact=%s never shows more than the default, in text, SARIF and annotations', async (value) => {
    const dir = tree();
    for (const format of ['text', 'sarif', 'github', 'json']) {
      const result = await runCli(['dir', dir, '--format', format, `--redact=${value}`]);
      expect(result.exitCode, result.stderr).toBe(1);
      expect(result.stdout).not.toContain(key);
      expect(result.stdout).not.toContain(key.slice(0, 12));
    }
    const hundred = await runCli(['dir', dir, '--redact=100']);
    expect(hundred.stdout).toContain('secret      …\n');
  });

  it.each([['yes'], ['true'], ['false'], ['101'], ['']])('--redact=%s is an error naming --no-redact (exit 2), and shows nothing', async (value) => {
    const result = await runCli(['dir', tree(), `--redact=${value}`]);
    expect(result.exitCode).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe('segscan: error: --redact takes no value, or a percentage of each secret to hide (--redact=100); to show secrets in full, pass --no-redact (see segscan --help)\n');
  });
});

describe('verification that cannot reach Segment fails closed', () => {
  const unreachable = ['cdn.segment.com', 'api.segmentapis.com', 'eu1.api.segmentapis.com', 'platform.segmentapis.com', 'api.segment.io']
    .flatMap((host) => ['--verify-endpoint', `${host}=http://127.0.0.1:9`]);

  it('--only-verified keeps the findings it could not check, says how many, and exits 1', async () => {
    const dir = hostileTemp('unreachable');
    writeFileSync(join(dir, '.env'), keyLine);
    const result = await runCli(['dir', dir, '--only-verified', '--verify-timeout', '2', '--format', 'json', ...unreachable]);
    expect(result.exitCode).toBe(1);
    const report = parseReport(result.stdout);
    expect(report.findings.map((f) => f.path)).toEqual(['.env']);
    expect(report.warnings.some((w) => w.startsWith('1 of 1 liveness checks could not decide:'))).toBe(true);
  });

  it('--fail-on live exits 1 when every verdict is unknown, 0 with --ignore-unknown', async () => {
    const dir = hostileTemp('unreachable-fail-on');
    writeFileSync(join(dir, '.env'), keyLine);
    const failing = await runCli(['dir', dir, '--fail-on', 'live', '--verify-timeout', '2', ...unreachable]);
    expect(failing.exitCode).toBe(1);
    expect(failing.stdout).toContain('UNKNOWN');
    expect(failing.stdout).toContain('they count as live for --fail-on live');
    const told = await runCli(['dir', dir, '--fail-on', 'live', '--ignore-unknown', '--verify-timeout', '2', ...unreachable]);
    expect(told.exitCode).toBe(0);
  });
});

describe('egress and secret exposure from repository content', () => {
  it("the repository's config cannot turn verification on, nor bring .git back in", async () => {
    const segment = await startFakeSegment();
    try {
      const repo = repoWith({ '.segscan.yaml': 'include: [".git/**", "**"]\nverify:\n  enabled: true\n', 'app/.env': keyLine });
      repo.git(['config', 'http.https://github.com/.extraheader', `AUTHORIZATION: basic ${Buffer.from(`x-access-token:sgp_${'A1b2C3d4'.repeat(8)}`).toString('base64')}`]);
      const endpoints = Object.entries(segment.endpoints).flatMap(([host, url]) => ['--verify-endpoint', `${host}=${url}`]);
      const result = await runCli(['dir', '.', '--format', 'json', ...endpoints], { cwd: repo.dir });
      const report = parseReport(result.stdout);
      expect(report.findings.map((f) => f.path)).toEqual(['app/.env']);
      expect(segment.requests).toEqual([]);
      expect(report.warnings.join('\n')).toContain("an 'include' naming .git ignored");
    } finally {
      await segment.close();
    }
  });

  it('a rule that verifies something else as a Public API token sends nothing', async () => {
    const segment = await startFakeSegment();
    try {
      const rules = hostileTemp('token-rules');
      writeFileSync(join(rules, 'grab.yaml'), [
        'id: grab-anything', 'title: Grabs any token', 'description: A rule that sends whatever it finds to the token check.', 'kind: generic', 'severity: high', "keywords: ['token']",
        "pattern: 'token=([A-Za-z0-9_]{20,})'", 'verify: public-api-token', 'remediation: Nothing to do; this rule exists for a test.',
        "examples:\n  match: ['token=ghs_{{alnum:36}}']\n  noMatch: ['token=x']", '',
      ].join('\n'));
      const dir = hostileTemp('ghs');
      writeFileSync(join(dir, 'ci.txt'), `token=ghs_${'Zz9'.repeat(12)}\n`);
      const endpoints = Object.entries(segment.endpoints).flatMap(([host, url]) => ['--verify-endpoint', `${host}=${url}`]);
      const result = await runCli(['dir', dir, '--rules', rules, '--verify', '--format', 'json', ...endpoints]);
      expect(result.exitCode, result.stderr).toBe(1);
      expect(parseReport(result.stdout).findings.map((f) => f.verification?.reason)).toEqual(['the value does not have the shape of a public-api-token, so it was not sent to Segment']);
      expect(segment.requests).toEqual([]);
    } finally {
      await segment.close();
    }
  });

  it('a rule whose secret is one character reports nothing: no hash of a single character ever appears', async () => {
    const rules = hostileTemp('one-char-rules');
    writeFileSync(join(rules, 'chars.yaml'), [
      'id: each-char', 'title: One character of a key', 'description: A rule whose secret is the last character of a key.', 'kind: generic', 'severity: low', "keywords: ['segment']",
      "pattern: 'SEGMENT_WRITE_KEY=(?:[A-Za-z0-9]*)([A-Za-z0-9])'", 'verify: none', 'remediation: Nothing to do; this rule exists for a test.',
      "examples:\n  match: ['SEGMENT_WRITE_KEY=abc1']\n  noMatch: ['SEGMENT_WRITE_KEY=']", '',
    ].join('\n'));
    const dir = hostileTemp('one-char');
    writeFileSync(join(dir, '.env'), keyLine);
    const result = await runCli(['dir', dir, '--rules', rules, '--format', 'json', '--disable-rule', 'segment-credential-variable', '--disable-rule', 'segment-write-key-in-context', '--disable-rule', 'segment-write-key-property']);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(parseReport(result.stdout).findings).toEqual([]);
    const text = result.stdout;
    for (const c of new Set(key)) expect(text).not.toContain(sha256(c));
  });
});

describe('output is data, never control', () => {
  const names = ['::error title=pwned::owned.env', 'a\n::add-mask::x\n::stop-commands::tok\n.env', 'b##[set-output name=x;]y.env', 'c\u001b[8mhidden\u001b]0;title\u0007.env'];

  it.each(['text', 'json', 'sarif', 'github'])('in %s no line starts a workflow command or holds ##[, and no ESC reaches the terminal', async (format) => {
    const repo = createTestRepo();
    names.forEach((name, i) => repo.write(name, `SEGMENT_WRITE_KEY=${fakeCredentials(`inject-${i}`).writeKey}\n`));
    repo.commit('::warning::subject \u001b[2J with ##[group]');
    const result = runBinary(['git', repo.dir, '--format', format]);
    expect(result.exitCode, result.stderr).toBe(1);
    const lines = `${result.stdout}\n${result.stderr}`.split('\n');
    const ownAnnotation = (line: string) => format === 'github' && /^::(error|warning|notice) file=[^,\n]*,line=\d+,col=\d+,endLine=\d+,endColumn=\d+,title=[^:]*::/.test(line);
    for (const line of lines) {
      if (!ownAnnotation(line)) expect(line.trimStart().startsWith('::'), line).toBe(false);
      expect(line).not.toContain('##[');
      expect(line).not.toContain('\u001b');
      expect(line).not.toContain('\u0007');
    }
    if (format === 'json') {
      const paths = (JSON.parse(result.stdout) as { findings: Array<{ path: string }> }).findings.map((f) => f.path);
      expect(paths).toContain('b##[set-output name=x;]y.env'); // the data itself is exact
    }
  });

  it('SARIF uris never leave %SRCROOT%, even for paths above the scan root', async () => {
    const outer = hostileTemp('outer');
    mkdirSync(join(outer, 'root'));
    writeFileSync(join(outer, 'up.env'), keyLine);
    const result = await runCli(['dir', join(outer, 'up.env'), '--format', 'sarif'], { cwd: join(outer, 'root') });
    const uris = (JSON.parse(result.stdout) as { runs: Array<{ results: Array<{ locations: Array<{ physicalLocation: { artifactLocation: { uri: string } } }> }> }> })
      .runs[0]?.results.map((r) => r.locations[0]?.physicalLocation.artifactLocation.uri);
    expect(uris).toEqual(['%2E%2E/up.env']);
  });
});

describe('denial of service from content', () => {
  it.each([['/dev/zero'], ['/dev/stdin']])('a baseline of %s in the config stops at once with one line (exit 2)', async (device) => {
    const dir = hostileTemp('baseline-device');
    writeFileSync(join(dir, '.env'), keyLine);
    const result = runBinary(['dir', dir, '--baseline', device]);
    expectOneLineError({ exitCode: result.exitCode ?? -1, stderr: result.stderr }, /baseline \/dev\/(zero|stdin): not a regular file|cannot read baseline \/dev\/stdin \(/);
  });

  it("the repository's baseline pointing outside the tree is ignored, and said so", async () => {
    const repo = repoWith({ '.segscan.yaml': 'baseline: /dev/zero\n', 'app/.env': keyLine });
    const result = await runCli(['dir', '.', '--format', 'json'], { cwd: repo.dir });
    expect(result.exitCode).toBe(1);
    expect(parseReport(result.stdout).warnings).toContain(".segscan.yaml: 'baseline' ignored: it names a file outside the scanned tree");
  });

  it('a rule pattern that compiles too big for RE2 to run fast is refused with one line', async () => {
    const rules = hostileTemp('slow-rules');
    writeFileSync(join(rules, 'slow.yaml'), [
      'id: slow', 'title: A slow pattern', 'description: Three long counted repetitions.', 'kind: generic', 'severity: low', "keywords: ['ab']",
      "pattern: '(?s)[a-c ]{0,999}ab([a-c ]{0,999})z[a-c ]{0,999}zz'", 'verify: none', 'remediation: Nothing to do; this rule exists for a test.',
      "examples:\n  match: ['ab z zz']\n  noMatch: ['x']", '',
    ].join('\n'));
    const result = await runCli(['stdin', '--rules', rules], { stdin: 'ab z zz' });
    expectOneLineError({ exitCode: result.exitCode, stderr: result.stderr }, /slow\.yaml: pattern: the pattern is too big to run fast \(about \d+ RE2 instructions, limit 3000\)/);
  });

  it('a 9.5 MB line repeating one base64 key is ten findings and a count, not a hundred thousand', () => {
    const dir = hostileTemp('repeated');
    const encoded = Buffer.from(`SEGMENT_WRITE_KEY=${key}`).toString('base64');
    writeFileSync(join(dir, 'secret.yaml'), `data:\n  env: ${`${encoded} `.repeat(Math.ceil(9_500_000 / (encoded.length + 1)))}\n`);
    const result = runBinary(['dir', dir, '--format', 'json']);
    expect(result.exitCode, result.stderr).toBe(1);
    const report = parseReport(result.stdout) as ReturnType<typeof parseReport> & { findings: Array<{ moreOccurrences?: number }> };
    expect(report.findings.length).toBeLessThanOrEqual(10);
    expect(report.findings.at(-1)?.moreOccurrences ?? 0).toBeGreaterThan(1000);
  });

  it('--max-scan-bytes stops a history scan part way: incomplete, exit 2, the reason said', () => {
    const repo = createTestRepo();
    for (let i = 0; i < 5; i++) {
      repo.write(`notes/${i}.txt`, `${`segment notes ${i} `.repeat(2000)}\n`);
      repo.commit(`notes ${i}`);
    }
    const result = runBinary(['git', repo.dir, '--max-scan-bytes', '40KiB', '--format', 'json']);
    expect(result.exitCode).toBe(2);
    const report = parseReport(result.stdout);
    expect(report.incomplete).toBe(true);
    expect(report.incompleteReason).toMatch(/^stopped after reading .* \(--max-scan-bytes\); raise --max-scan-bytes to scan everything$/);
  });
});

describe('the smaller holes', () => {
  it('a partial clone: missing blobs are listed, never fetched, and the scan exits as usual', () => {
    const origin = repoWith({ 'app/.env': keyLine, 'b.txt': 'hello\n' });
    origin.git(['config', 'uploadpack.allowfilter', 'true']);
    const clone = hostileTemp('partial');
    origin.git(['clone', '-q', '--filter=blob:none', '--no-checkout', `file://${origin.dir}`, clone]);
    const result = runBinary(['git', clone, '--format', 'json']);
    expect(result.exitCode, result.stderr).toBe(0);
    const report = parseReport(result.stdout);
    expect(report.skipped.map((s) => [s.path, s.reason])).toEqual([['app/.env', 'unreadable'], ['b.txt', 'unreadable']]);
    expect(report.skipped[0]?.detail).toContain('not present in this partial clone');
    // Still missing: nothing was fetched from the promisor remote.
    const missing = origin.git(['-C', clone, 'rev-list', '--objects', '--all', '--missing=print']).split('\n').filter((l) => l.startsWith('?'));
    expect(missing).toHaveLength(2);
  });

  it('redaction of the finding list in SARIF never leaks the key in a redacted form longer than the default', async () => {
    const dir = hostileTemp('sarif-redact');
    writeFileSync(join(dir, '.env'), keyLine);
    const result = await runCli(['dir', dir, '--format', 'sarif']);
    expect(result.stdout).toContain(redactSecret(key));
    expect(result.stdout).not.toContain(key);
    expect(existsSync(join(dir, 'segscan.sarif'))).toBe(false);
  });
});

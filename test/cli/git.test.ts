// segscan git and segscan staged from the command line: exit codes, attribution and the history
// fields a user sees in JSON and SARIF.
import { afterAll, describe, expect, it } from 'vitest';
import { fakeCredentials } from '../../src/rules/templates.js';
import { runBin, runCli } from '../helpers/cli.js';
import { createTestRepo, isolatedGitEnv, makeTempDir, removeTempDirs } from '../helpers/gitRepo.js';

afterAll(removeTempDirs);

interface JsonFinding { ruleId: string; path: string; start: { line: number; column: number }; secret: string; commit?: { sha: string; authorName: string; subject: string; date: string } }
interface JsonReport { mode: string; findings: JsonFinding[]; stats: { commitsScanned?: number }; repository?: { head?: string; branch?: string } }

const keys = fakeCredentials('cli-git');
const other = fakeCredentials('cli-git-rotated');
const env = isolatedGitEnv();

async function json(args: string[], cwd: string) {
  const result = await runCli([...args, '--format', 'json'], { cwd, env });
  return { ...result, report: JSON.parse(result.stdout) as JsonReport };
}

describe('segscan git', () => {
  it('reports a key added then deleted once, attributed to the commit that added it', async () => {
    const repo = createTestRepo();
    repo.write('README.md', 'hello\n');
    repo.commit('initial');
    repo.write('config/.env', `A=1\nSEGMENT_WRITE_KEY=${keys.writeKey}\n`);
    const added = repo.commit('add analytics config');
    for (let i = 0; i < 5; i++) {
      repo.write('config/.env', `A=${i + 2}\n${'# note\n'.repeat(i)}SEGMENT_WRITE_KEY=${keys.writeKey}\n`);
      repo.commit(`tweak ${i}`);
    }
    repo.remove('config/.env');
    repo.commit('remove key');
    const { exitCode, report } = await json(['git'], repo.dir);
    expect(exitCode).toBe(1);
    expect(report.mode).toBe('git');
    expect(report.findings).toHaveLength(1);
    expect(report.findings[0]).toMatchObject({ ruleId: 'segment-credential-variable', path: 'config/.env', start: { line: 2, column: 19 }, commit: { sha: added, subject: 'add analytics config' } });
    expect(report.stats.commitsScanned).toBe(8);
  });

  it('as the built binary (which tunes V8 for history scans): the report on stdout, nothing else on stderr with --quiet, on any Node', () => {
    const repo = createTestRepo();
    repo.write('config/.env', `SEGMENT_WRITE_KEY=${keys.writeKey}\n`);
    const added = repo.commit('add analytics config');
    const result = runBin(['git', '--format', 'json', '--quiet'], { cwd: repo.dir, env });
    expect(result.stderr).toBe('');
    expect(result.exitCode).toBe(1);
    const report = JSON.parse(result.stdout) as JsonReport;
    expect(report.findings.map((f) => [f.path, f.commit?.sha, f.commit?.subject, f.commit?.authorName])).toEqual([['config/.env', added, 'add analytics config', 'Test Author']]);
  });

  it('reports a rotated key as two findings and finds keys on unmerged branches', async () => {
    const repo = createTestRepo();
    repo.write('.env', `SEGMENT_WRITE_KEY=${keys.writeKey}\n`);
    repo.commit('first key');
    repo.write('.env', `SEGMENT_WRITE_KEY=${other.writeKey}\n`);
    repo.commit('rotate key');
    repo.git(['checkout', '-q', '-b', 'feature']);
    repo.write('src/token.ts', `export const t = "${keys.publicApiToken}";\n`);
    const onBranch = repo.commit('wip');
    repo.git(['checkout', '-q', 'main']);
    const { report } = await json(['git'], repo.dir);
    expect(report.findings.map((f) => [f.ruleId, f.path, f.commit?.subject]).sort()).toEqual([
      ['segment-credential-variable', '.env', 'first key'],
      ['segment-credential-variable', '.env', 'rotate key'],
      ['segment-public-api-token', 'src/token.ts', 'wip'],
    ]);
    const mainOnly = await json(['git', '--branch', 'main'], repo.dir);
    expect(mainOnly.report.findings.map((f) => f.path)).toEqual(['.env', '.env']);
    const prScan = await json(['git', '--range', `main..${onBranch}`], repo.dir);
    expect(prScan.report.findings.map((f) => f.path)).toEqual(['src/token.ts']);
  });

  it('writes SARIF with commit properties, provenance and the git automation id', async () => {
    const repo = createTestRepo();
    repo.write('app.js', `analytics.load("${keys.writeKey}");\n`);
    const sha = repo.commit('add snippet');
    const { stdout, exitCode } = await runCli(['git', '--format', 'sarif'], { cwd: repo.dir, env });
    expect(exitCode).toBe(1);
    expect(stdout).not.toContain(keys.writeKey);
    const run = (JSON.parse(stdout) as { runs: Array<Record<string, unknown>> }).runs[0] as {
      automationDetails: { id: string };
      versionControlProvenance: Array<{ revisionId: string; branch: string }>;
      results: Array<{ properties: { commit: { sha: string } }; partialFingerprints: Record<string, string> }>;
    };
    expect(run.automationDetails.id).toBe('segscan/git/');
    expect(run.versionControlProvenance[0]).toMatchObject({ revisionId: sha, branch: 'main' });
    expect(run.results[0]?.properties.commit.sha).toBe(sha);
    const again = JSON.parse((await runCli(['git', '--format', 'sarif'], { cwd: repo.dir, env })).stdout) as typeof run & { runs: Array<typeof run> };
    expect(again.runs[0]?.results[0]?.partialFingerprints).toEqual(run.results[0]?.partialFingerprints);
  });

  it('reports a key in a tagged blob or tree under the name git shows it by, without a commit', async () => {
    const repo = createTestRepo();
    repo.write('README.md', 'hello\n');
    repo.commit('initial');
    const blob = repo.git(['hash-object', '-w', '--stdin'], { input: `token = ${keys.publicApiToken}\n` }).trim();
    repo.git(['tag', 'backup-key', blob]);
    const file = repo.git(['hash-object', '-w', '--stdin'], { input: `# settings\nSEGMENT_WRITE_KEY=${keys.writeKey}\n` }).trim();
    const tree = repo.git(['mktree'], { input: `100644 blob ${file}\t.env\n` }).trim();
    repo.git(['tag', '-a', '-m', 'old settings', 'settings-2019', tree]);

    const { exitCode, report } = await json(['git'], repo.dir);
    expect(exitCode).toBe(1);
    expect(report.findings.map((f) => [f.ruleId, f.path, f.start.line, f.start.column, f.commit ?? null])).toEqual([
      ['segment-public-api-token', 'refs/tags/backup-key', 1, 9, null],
      ['segment-credential-variable', 'refs/tags/settings-2019:.env', 2, 19, null],
    ]);
    const text = await runCli(['git'], { cwd: repo.dir, env });
    expect(text.stdout).toMatch(/^refs\/tags\/settings-2019:\.env:2:19 {2}HIGH/m);
    expect(text.stdout).not.toContain(keys.writeKey);
    // Named on the command line, a tag of a tree is read too (git log alone would skip it).
    const named = await json(['git', '--branch', 'settings-2019'], repo.dir);
    expect(named.exitCode).toBe(1);
    expect(named.report.findings.map((f) => [f.path, f.start.line, f.start.column])).toEqual([['settings-2019:.env', 2, 19]]);
  });

  it('is clean (exit 0) on an empty repository and says there is nothing to scan', async () => {
    const repo = createTestRepo();
    const { exitCode, report } = await json(['git'], repo.dir);
    expect(exitCode).toBe(0);
    expect(report.findings).toEqual([]);
  });

  it('fails with exit 2 and one line outside a repository', async () => {
    const dir = makeTempDir();
    const { exitCode, stderr, stdout } = await runCli(['git', dir], { env });
    expect(exitCode).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/^segscan: error: not a git repository: .+\n$/);
  });

  it('fails with exit 2 and one line for an unknown branch', async () => {
    const repo = createTestRepo();
    repo.write('a', 'x');
    repo.commit('one');
    const { exitCode, stderr } = await runCli(['git', '--branch', 'nope'], { cwd: repo.dir, env });
    expect(exitCode).toBe(2);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toMatch(/^segscan: error: --branch nope: no branch, tag or commit 'nope'/);
  });
});

describe('segscan staged', () => {
  it('is silent and exits 0 when the staged change is clean', async () => {
    const repo = createTestRepo();
    repo.write('a.txt', 'hello\n');
    repo.stage('a.txt');
    const { exitCode, stdout, stderr } = await runCli(['staged'], { cwd: repo.dir, env });
    expect([exitCode, stdout, stderr]).toEqual([0, '', '']);
  });

  it('reports only added lines, redacted, with exit 1, before the first commit too', async () => {
    const repo = createTestRepo();
    repo.write('.env', `SEGMENT_WRITE_KEY=${keys.writeKey}\n`);
    repo.stage('.env');
    const first = await runCli(['staged'], { cwd: repo.dir, env });
    expect(first.exitCode).toBe(1);
    expect(first.stdout).toContain('.env:1:19');
    expect(first.stdout).not.toContain(keys.writeKey);
    repo.commit('existing key');
    repo.write('.env', `# comment\nSEGMENT_WRITE_KEY=${keys.writeKey}\nSEGMENT_TOKEN=${keys.publicApiToken}\n`);
    repo.stage('.env');
    const { report } = await json(['staged'], repo.dir);
    expect(report.mode).toBe('staged');
    expect(report.findings.map((f) => [f.ruleId, f.start.line])).toEqual([['segment-public-api-token', 3]]);
  });

  it('passes a line marked segscan:allow', async () => {
    const repo = createTestRepo();
    repo.write('web.js', `analytics.load("${keys.writeKey}"); // segscan:allow public browser key\n`);
    repo.stage('web.js');
    expect((await runCli(['staged'], { cwd: repo.dir, env })).exitCode).toBe(0);
  });
});

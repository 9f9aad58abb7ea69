// Repositories that try to break the history scan: a huge blob, 10,000 refs, a commit touching
// 50,000 files, missing and corrupt objects, and configuration that tries to make git run
// commands or change its output. Everything runs the built binary, as a user would.
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fakeCredentials } from '../../src/rules/templates.js';
import { createTestRepo, isolatedGitEnv, makeTempDir, removeTempDirs, type TestRepo } from '../helpers/gitRepo.js';
import { cleanupTemp, expectOneLineError, isRoot, parseReport, runBinary, runMeasured, type BinResult } from './support.js';

afterAll(() => {
  removeTempDirs();
  cleanupTemp();
});

const keyA = fakeCredentials('hostile-history-a');
const keyB = fakeCredentials('hostile-history-b');

/** Feed a fast-import stream to git (far faster than one commit per process for big histories). */
function fastImport(repo: TestRepo, stream: string, marksFile?: string): void {
  execFileSync('git', ['fast-import', '--quiet', ...(marksFile ? [`--export-marks=${marksFile}`] : [])], {
    cwd: repo.dir,
    input: stream,
    env: isolatedGitEnv(),
    maxBuffer: 64 * 1024 * 1024,
  });
}

function data(text: string): string {
  return `data ${Buffer.byteLength(text)}\n${text}`;
}

function commitHeader(ref: string, mark: number | undefined, when: number, message: string): string {
  return `commit ${ref}\n${mark === undefined ? '' : `mark :${mark}\n`}author A <a@example.com> ${when} +0000\ncommitter A <a@example.com> ${when} +0000\n${data(message)}`;
}

function scanGit(repo: string, extra: string[] = []): BinResult & { report: ReturnType<typeof parseReport> } {
  const result = runBinary(['git', repo, '--format', 'json', ...extra]);
  expect([0, 1], result.stderr).toContain(result.exitCode);
  return { ...result, report: parseReport(result.stdout) };
}

describe('a huge blob', () => {
  // 256 MiB by default: enough to show the blob is never read (peak memory stays far below it)
  // while keeping the suite fast; SEGSCAN_HOSTILE_BLOB_MIB=1024 runs the full 1 GB case.
  const mib = Number(process.env.SEGSCAN_HOSTILE_BLOB_MIB ?? 256);
  // Well under the blob: on Node 24 a scan starts at ~65 MB, and streamed chunks add ~60 MB before GC.
  const limitKb = Math.min(mib * 0.6, 200) * 1024;
  let repo: TestRepo;

  beforeAll(() => {
    repo = createTestRepo();
    repo.git(['config', 'core.compression', '1']);
    repo.write('.env', `SEGMENT_WRITE_KEY=${keyA.writeKey}\n`);
    repo.commit('key');
    execFileSync('truncate', ['-s', `${mib}M`, join(repo.dir, 'disk.img')]);
    repo.stage('disk.img');
  }, 120_000);

  it('segscan staged scans a huge staged file in windows, no process holding it whole; with --max-file-size it lists it as too large', () => {
    const staged = runMeasured(['staged', repo.dir, '--format', 'json']);
    expect(staged.exitCode, staged.stderr).toBe(0);
    const report = parseReport(staged.stdout);
    expect(report.skipped).toEqual([]);
    expect(report.stats.bytesScanned).toBe(mib * 1024 * 1024);
    expect(staged.nodePeakKb).toBeGreaterThan(0);
    expect(staged.nodePeakKb).toBeLessThan(limitKb);
    // GNU time's peak covers the git processes segscan started: git must not load the blob either.
    if (staged.treePeakKb !== undefined) expect(staged.treePeakKb).toBeLessThan(limitKb);
    const limited = runMeasured(['staged', repo.dir, '--format', 'json', '--max-file-size', '100MiB']);
    expect(parseReport(limited.stdout).skipped).toEqual([expect.objectContaining({ path: 'disk.img', reason: 'too-large', size: mib * 1024 * 1024 })]);
    if (limited.treePeakKb !== undefined) expect(limited.treePeakKb).toBeLessThan(limitKb);
  });

  it(`segscan git scans a ${mib} MiB blob in history in windows; with --max-file-size lists it as too large, with its commit, without reading it`, () => {
    const bigCommit = repo.commit('disk image', { addAll: false });
    const history = runMeasured(['git', repo.dir, '--format', 'json']);
    expect(history.exitCode, history.stderr).toBe(1);
    const report = parseReport(history.stdout);
    expect(report.findings.map((f) => f.path)).toEqual(['.env']);
    expect(report.skipped).toEqual([]);
    expect(history.nodePeakKb).toBeGreaterThan(0);
    expect(history.nodePeakKb).toBeLessThan(limitKb);
    if (history.treePeakKb !== undefined) expect(history.treePeakKb).toBeLessThan(limitKb);
    const limited = runMeasured(['git', repo.dir, '--format', 'json', '--max-file-size', '100MiB']);
    expect(parseReport(limited.stdout).skipped).toEqual([expect.objectContaining({ path: 'disk.img', reason: 'too-large', size: mib * 1024 * 1024, commit: bigCommit })]);
    expect(limited.nodePeakKb).toBeLessThan(limitKb);
    if (limited.treePeakKb !== undefined) expect(limited.treePeakKb).toBeLessThan(limitKb);
  });
});

describe('big histories', () => {
  it('walks 10,000 refs (packed) over 1,000 commits, refs to a blob and a tree, and finds a key reachable from only one ref', () => {
    const repo = createTestRepo();
    const marks = join(makeTempDir('segscan-marks-'), 'marks');
    let stream = '';
    for (let i = 1; i <= 1000; i++) stream += `${commitHeader('refs/heads/main', i, 1_600_000_000 + i, `c${i}`)}M 100644 inline files/f${i}.txt\n${data(`file ${i}\n`)}\n`;
    stream += `${commitHeader('refs/heads/orphan', 1001, 1_700_000_000, 'hidden')}M 100644 inline hidden/.env\n${data(`SEGMENT_WRITE_KEY=${keyB.writeKey}\n`)}\n`;
    fastImport(repo, stream, marks);
    const shas = readFileSync(marks, 'utf8').trim().split('\n').map((line) => line.split(' ')[1] as string);
    const hidden = shas[1000] as string;
    repo.git(['update-ref', '-d', 'refs/heads/orphan']);
    const refs: Array<[string, string]> = [];
    for (let i = 0; i < 9_996; i++) refs.push([`refs/${['tags', 'heads', 'remotes/origin', 'pull'][i % 4]}/r${String(i).padStart(5, '0')}`, shas[i % 1000] as string]);
    refs.push(['refs/keep/hidden', hidden]);
    refs.push(['refs/tags/blob-ref', repo.git(['rev-parse', 'main:files/f1.txt']).trim()]);
    refs.push(['refs/tags/tree-ref', repo.git(['rev-parse', 'main^{tree}']).trim()]);
    const packed = refs.sort((a, b) => (a[0] < b[0] ? -1 : 1)).map(([ref, sha]) => `${sha} ${ref}\n`).join('');
    writeFileSync(join(repo.dir, '.git', 'packed-refs'), `# pack-refs with: peeled fully-peeled sorted \n${packed}`);
    expect(repo.git(['for-each-ref', '--format=%(refname)']).trim().split('\n').length).toBe(10_000);

    const { report, exitCode } = scanGit(repo.dir);
    expect(exitCode).toBe(1);
    expect(report.stats.commitsScanned).toBe(1001);
    expect(report.findings.map((f) => [f.path, f.commit?.sha, f.start.line, f.start.column])).toEqual([['hidden/.env', hidden, 1, 19]]);
  });

  it('scans a commit that adds 50,000 files and finds the one key among them', () => {
    const repo = createTestRepo();
    const parts: string[] = [commitHeader('refs/heads/main', undefined, 1_600_000_000, 'everything at once')];
    for (let i = 0; i < 50_000; i++) {
      const content = i === 31_337 ? `a: 1\nSEGMENT_WRITE_KEY: ${keyA.writeKey}\n` : `file ${i}\n`;
      parts.push(`M 100644 inline d${i % 100}/f${i}.yaml\n${data(content)}`);
    }
    fastImport(repo, `${parts.join('')}\n`);
    const { report, exitCode } = scanGit(repo.dir);
    expect(exitCode).toBe(1);
    expect(report.stats.blobsScanned).toBe(50_000);
    expect(report.findings.map((f) => [f.path, f.start.line, f.start.column])).toEqual([['d37/f31337.yaml', 2, 20]]);
  });
});

describe('broken repositories', () => {
  function threeCommits(): { repo: TestRepo; middleBlob: string } {
    const repo = createTestRepo();
    repo.write('a.env', `SEGMENT_WRITE_KEY=${keyA.writeKey}\n`);
    repo.commit('first key');
    repo.write('b.txt', 'hello\n');
    const middle = repo.commit('middle');
    repo.write('c.env', `SEGMENT_WRITE_KEY=${keyB.writeKey}\n`);
    repo.commit('second key');
    return { repo, middleBlob: repo.git(['rev-parse', `${middle}:b.txt`]).trim() };
  }

  it('a missing loose object: exit 2, one line naming the object, and the findings before it are still written (JSON and SARIF)', () => {
    const { repo, middleBlob } = threeCommits();
    unlinkSync(join(repo.dir, '.git', 'objects', middleBlob.slice(0, 2), middleBlob.slice(2)));
    const out = makeTempDir('segscan-out-');
    const json = runBinary(['git', repo.dir, '--format', 'json', '--output', join(out, 'report.json')]);
    expectOneLineError({ exitCode: json.exitCode ?? -1, stderr: json.stderr }, new RegExp(`git object ${middleBlob} is corrupt or missing`));
    const report = parseReport(readFileSync(join(out, 'report.json'), 'utf8'));
    expect(report.incomplete).toBe(true);
    expect(report.incompleteReason).toContain(middleBlob);
    expect(report.findings.map((f) => f.path)).toEqual(['a.env']);

    const sarif = runBinary(['git', repo.dir, '--format', 'sarif', '--output', join(out, 'report.sarif')]);
    expect(sarif.exitCode).toBe(2);
    const log = JSON.parse(readFileSync(join(out, 'report.sarif'), 'utf8')) as { runs: Array<{ results: unknown[]; invocations: Array<{ executionSuccessful: boolean }> }> };
    expect(log.runs[0]?.invocations[0]?.executionSuccessful).toBe(false);
    expect(log.runs[0]?.results).toHaveLength(1);
    expect(readdirSync(out).sort()).toEqual(['report.json', 'report.sarif']);
  });

  it('a missing commit object: exit 2 with one line naming it', () => {
    const { repo } = threeCommits();
    const middle = repo.rev('HEAD~1');
    unlinkSync(join(repo.dir, '.git', 'objects', middle.slice(0, 2), middle.slice(2)));
    const result = runBinary(['git', repo.dir, '--format', 'json']);
    expectOneLineError({ exitCode: result.exitCode ?? -1, stderr: result.stderr }, new RegExp(middle));
  });

  it('a corrupt pack: exit 2 with one line naming the object, no stack trace', () => {
    const repo = createTestRepo();
    for (let i = 0; i < 5; i++) {
      repo.write(`f${i}.txt`, `${Buffer.from(fakeCredentials(`pack-${i}`).configApiToken.repeat(300)).toString('base64')}\n`);
      repo.commit(`c${i}`);
    }
    repo.git(['repack', '-adq']);
    const packDir = join(repo.dir, '.git', 'objects', 'pack');
    const pack = join(packDir, readdirSync(packDir).find((n) => n.endsWith('.pack')) as string);
    chmodSync(pack, 0o644);
    const bytes = readFileSync(pack);
    bytes.fill(0x5a, Math.floor(bytes.length / 2), Math.floor(bytes.length / 2) + 64);
    writeFileSync(pack, bytes);
    const result = runBinary(['git', repo.dir, '--format', 'json']);
    expectOneLineError({ exitCode: result.exitCode ?? -1, stderr: result.stderr }, /git object [0-9a-f]{40} is corrupt or missing/);
  });

  it.skipIf(!isRoot())('a repository owned by another user (git refuses it as dubious): exit 2 with one line saying what to do', () => {
    const { repo } = threeCommits();
    execFileSync('chown', ['-R', '65534:65534', repo.dir]);
    // No user or system config, which might trust every directory (safe.directory=*).
    const result = runBinary(['git', repo.dir, '--format', 'json'], { env: { GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1' } });
    expectOneLineError(toErr(result), /dubious ownership.*safe\.directory/);
    expect(result.stdout).toBe('');
  });

  it('a directory that is not a repository, and a .git that is garbage: exit 2 with one line', () => {
    const plain = makeTempDir('segscan-plain-');
    expectOneLineError(toErr(runBinary(['git', plain])), /not a git repository/);
    const garbage = makeTempDir('segscan-garbage-');
    writeFileSync(join(garbage, '.git'), 'gitdir: /nonexistent/elsewhere\n');
    expectOneLineError(toErr(runBinary(['git', garbage])));
    expectOneLineError(toErr(runBinary(['staged', garbage])));
  });
});

function toErr(r: BinResult): { exitCode: number; stderr: string } {
  return { exitCode: r.exitCode ?? -1, stderr: r.stderr };
}

describe('a repository whose configuration tries to run commands', () => {
  /** Every way a repository can ask git to run a program, each a script that records its name. */
  function boobyTrap(repo: TestRepo): { ran: () => string[]; reset: () => void } {
    const bin = makeTempDir('segscan-traps-');
    const log = join(bin, 'ran.log');
    const trap = (name: string): string => {
      const path = join(bin, name);
      // Record the name, then behave like `cat` so a filter or pager would still "work".
      writeFileSync(path, `#!/bin/sh\necho ${name} >> '${log}'\ncat\n`);
      chmodSync(path, 0o755);
      return path;
    };
    const hooks = join(bin, 'hooks');
    mkdirSync(hooks);
    for (const hook of ['pre-commit', 'post-checkout', 'post-index-change', 'reference-transaction', 'pre-auto-gc', 'post-rewrite', 'fsmonitor-watchman', 'pre-push', 'post-merge']) {
      writeFileSync(join(hooks, hook), `#!/bin/sh\necho hook-${hook} >> '${log}'\n`);
      chmodSync(join(hooks, hook), 0o755);
      writeFileSync(join(repo.dir, '.git', 'hooks', hook), `#!/bin/sh\necho default-hook-${hook} >> '${log}'\n`);
      chmodSync(join(repo.dir, '.git', 'hooks', hook), 0o755);
    }
    const config: Array<[string, string]> = [
      ['core.hooksPath', hooks],
      ['core.fsmonitor', trap('fsmonitor')],
      ['core.pager', trap('core-pager')],
      ['pager.log', trap('pager-log')],
      ['pager.diff', trap('pager-diff')],
      ['pager.cat-file', trap('pager-cat-file')],
      ['diff.external', trap('diff-external')],
      ['diff.evil.textconv', trap('textconv')],
      ['diff.evil.command', trap('diff-command')],
      ['filter.evil.clean', trap('filter-clean')],
      ['filter.evil.smudge', trap('filter-smudge')],
      ['filter.evil.required', 'true'],
      ['log.showSignature', 'true'],
      ['gpg.program', trap('gpg')],
      ['gpg.ssh.program', trap('gpg-ssh')],
      ['gpg.x509.program', trap('gpg-x509')],
      ['core.sshCommand', trap('ssh')],
      ['core.askPass', trap('askpass')],
      ['credential.helper', `!${trap('credential')}`],
      ['core.editor', trap('editor')],
      ['sequence.editor', trap('sequence-editor')],
      ['core.alternateRefsCommand', trap('alternate-refs')],
      ['uploadpack.packObjectsHook', trap('pack-objects-hook')],
      ['gc.auto', '1'],
      ['maintenance.auto', 'true'],
    ];
    for (const [key, value] of config) repo.git(['config', key, value]);
    writeFileSync(join(repo.dir, '.gitattributes'), '* filter=evil diff=evil\n');
    return {
      ran: () => (existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n') : []),
      reset: () => rmSync(log, { force: true }),
    };
  }

  /** A commit carrying a (fake) signature, so a git that shows signatures would call gpg.program. */
  function signedCommit(repo: TestRepo): void {
    const tree = repo.git(['rev-parse', 'HEAD^{tree}']).trim();
    const parent = repo.rev('HEAD~1');
    const signature = ['-----BEGIN PGP SIGNATURE-----', '', 'iQEzBAABCAAdFiEEAAAAAAAAAAAAAAAAAAAAAAAAAAAFAmAAAAAACgkQAAAAAAAA', '=AAAA', '-----END PGP SIGNATURE-----'];
    const body = [`tree ${tree}`, `parent ${parent}`, 'author A <a@example.com> 1600000000 +0000', 'committer A <a@example.com> 1600000000 +0000', `gpgsig ${signature.join('\n ')}`, '', 'signed', ''].join('\n');
    const sha = repo.git(['hash-object', '-t', 'commit', '-w', '--stdin'], { input: body }).trim();
    repo.git(['update-ref', 'refs/heads/main', sha]);
  }

  it('segscan git, staged, dir and baseline never run repository hooks, filters, textconv, external diff, pagers, fsmonitor or gpg', () => {
    const repo = createTestRepo();
    repo.write('.env', `SEGMENT_WRITE_KEY=${keyA.writeKey}\n`);
    repo.write('notes.txt', 'hello\n');
    repo.commit('one');
    repo.write('notes.txt', 'changed\n');
    repo.commit('two');
    signedCommit(repo); // replaces 'two' with a signed copy
    repo.write('staged.env', `SEGMENT_WRITE_KEY=${keyB.writeKey}\n`);
    repo.stage('staged.env');
    const traps = boobyTrap(repo);

    // The traps are armed: plain git runs some of them in this repository.
    const gitEnv = isolatedGitEnv();
    execFileSync('git', ['status', '--short'], { cwd: repo.dir, env: gitEnv, stdio: 'ignore' });
    execFileSync('git', ['diff', 'HEAD~1', 'HEAD'], { cwd: repo.dir, env: gitEnv, stdio: 'ignore' });
    execFileSync('git', ['log', '-1'], { cwd: repo.dir, env: gitEnv, stdio: 'ignore' });
    const armed = traps.ran();
    expect(armed).toEqual(expect.arrayContaining(['fsmonitor', 'filter-clean', 'gpg']));
    expect(armed.some((name) => name === 'diff-command' || name === 'diff-external')).toBe(true);
    traps.reset();

    const history = scanGit(repo.dir);
    expect(history.exitCode).toBe(1);
    expect(history.report.findings.map((f) => f.path)).toEqual(['.env']);
    const staged = runBinary(['staged', repo.dir, '--format', 'json']);
    expect(staged.exitCode, staged.stderr).toBe(1);
    expect(parseReport(staged.stdout).findings.map((f) => f.path)).toEqual(['staged.env']);
    const dir = runBinary(['dir', repo.dir, '--format', 'json']);
    expect(dir.exitCode, dir.stderr).toBe(1);
    // Baselines record accepted findings; the command exists once the baseline work lands.
    const help = runBinary(['--help']);
    if (/\bbaseline\b/.test(help.stdout)) {
      const baseline = runBinary(['baseline', 'git', repo.dir, '--output', join(makeTempDir('segscan-baseline-'), 'baseline.json')]);
      expect(baseline.exitCode, baseline.stderr).toBe(0);
    }
    expect(traps.ran()).toEqual([]);
  });

  it('configuration that changes git output (colour always, prefixes, abbreviations, encodings, renames, context) does not change findings', () => {
    const repo = createTestRepo();
    repo.write('config/app.yaml', `a: 1\nsegment:\n  writeKey: ${keyA.writeKey}\n`);
    repo.write('odd name "quoted" ü.env', `SEGMENT_WRITE_KEY=${keyB.writeKey}\n`);
    const first = repo.commit('first');
    repo.write('config/app.yaml', `a: 2\nb: 3\nsegment:\n  writeKey: ${keyA.writeKey}\n`);
    repo.write('later.env', `x=1\n\n\nSEGMENT_TOKEN=${keyB.publicApiToken}\n`);
    repo.stage('later.env', 'config/app.yaml');
    const baseline = {
      history: scanGit(repo.dir).report.findings.map((f) => [f.path, f.commit?.sha, f.start.line, f.start.column]),
      staged: parseReport(runBinary(['staged', repo.dir, '--format', 'json']).stdout).findings.map((f) => [f.path, f.start.line, f.start.column]),
    };
    expect(baseline.history).toEqual([
      ['config/app.yaml', first, 3, 13],
      ['odd name "quoted" ü.env', first, 1, 19],
    ]);
    expect(baseline.staged).toEqual([['later.env', 4, 15]]);

    for (const [key, value] of [
      ['color.ui', 'always'], ['color.diff', 'always'], ['diff.noprefix', 'true'], ['diff.mnemonicPrefix', 'true'], ['diff.relative', 'true'],
      ['diff.renames', 'copies'], ['diff.context', '9'], ['diff.interHunkContext', '20'], ['diff.algorithm', 'patience'], ['diff.colorMoved', 'zebra'],
      ['diff.wsErrorHighlight', 'all'], ['diff.suppressBlankEmpty', 'true'], ['core.quotePath', 'true'], ['core.abbrev', '7'], ['log.abbrevCommit', 'true'],
      ['log.showRoot', 'false'], ['log.decorate', 'full'], ['log.date', 'relative'], ['format.pretty', 'oneline'], ['i18n.logOutputEncoding', 'ISO-8859-1'],
      ['log.mailmap', 'true'], ['diff.dirstat', 'files'], ['status.relativePaths', 'true'], ['grep.patternType', 'perl'], ['log.follow', 'true'],
    ] as const) repo.git(['config', key, value]);
    writeFileSync(join(repo.dir, '.mailmap'), 'Someone Else <else@example.com> <a@example.com>\n');

    expect(scanGit(repo.dir).report.findings.map((f) => [f.path, f.commit?.sha, f.start.line, f.start.column])).toEqual(baseline.history);
    expect(parseReport(runBinary(['staged', repo.dir, '--format', 'json']).stdout).findings.map((f) => [f.path, f.start.line, f.start.column])).toEqual(baseline.staged);
  });
});

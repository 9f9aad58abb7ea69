import { copyFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.js';
import { stagedSource, type StagedOptions } from '../../src/sources/stagedDiff.js';
import { collectItems, createTestRepo, makeTempDir, removeTempDirs, secretLine, withGitCallLog, type TestRepo } from '../helpers/gitRepo.js';

afterAll(removeTempDirs);

const MB = 1024 * 1024;

function scanStaged(repo: TestRepo | string, options: Partial<StagedOptions> = {}) {
  return collectItems(stagedSource({ repo: typeof repo === 'string' ? repo : repo.dir, maxFileSize: MB, ...options }));
}

const numbered = (n: number, prefix = 'line'): string[] => Array.from({ length: n }, (_, i) => `${prefix} ${i + 1}`);

describe('stagedSource', () => {
  it('yields the whole staged file with exactly the added lines, not removed or unchanged ones', async () => {
    const repo = createTestRepo();
    const original = numbered(10);
    repo.write('.env', `${original.join('\n')}\n`);
    repo.commit('initial');
    const secret = secretLine('staged-mixed');
    // Replace line 2, delete lines 5-6, add two lines after line 8 and one at the end.
    const next = [
      original[0], secret.line, original[2], original[3],
      original[6], original[7], 'ADDED_A=1', 'ADDED_B=2', original[8], original[9], 'TAIL=3',
    ];
    repo.write('.env', `${next.join('\n')}\n`);
    repo.stage('.env');

    const { fragments, skipped } = await scanStaged(repo);
    expect(skipped).toEqual([]);
    expect(fragments).toEqual([{ text: `${next.join('\n')}\n`, path: '.env', startLine: 1, onlyLines: [[2, 2], [7, 8], [11, 11]] }]);
  });

  it('reads the staged version, not the working tree', async () => {
    const repo = createTestRepo();
    repo.write('a.env', 'A=1\n');
    repo.commit('initial');
    const staged = secretLine('staged-version');
    repo.write('a.env', `A=1\n${staged.line}\n`);
    repo.stage('a.env');
    repo.write('a.env', 'A=1\nWORKTREE_ONLY=1\nmore\n');
    repo.write('untracked.env', `${secretLine('untracked').line}\n`);

    const { fragments } = await scanStaged(repo);
    expect(fragments).toEqual([{ text: `A=1\n${staged.line}\n`, path: 'a.env', startLine: 1, onlyLines: [[2, 2]] }]);
  });

  it('works before the first commit', async () => {
    const repo = createTestRepo();
    const { line } = secretLine('first-commit');
    repo.write('config/.env', `# settings\n${line}\n`);
    repo.write('empty.txt', '');
    repo.stage('.');

    const { fragments } = await scanStaged(repo);
    expect(fragments).toEqual([{ text: `# settings\n${line}\n`, path: 'config/.env', startLine: 1, onlyLines: [[1, 2]] }]);
  });

  it('yields nothing for a pure rename and only the edited lines of a rename with edits', async () => {
    const repo = createTestRepo();
    const body = numbered(20);
    repo.write('old-name.env', `${body.join('\n')}\n`);
    repo.write('keep.env', `${secretLine('pure-rename').line}\n`);
    repo.commit('initial');
    repo.git(['mv', 'keep.env', 'kept.env']);
    repo.git(['mv', 'old-name.env', 'new-name.env']);
    const edited = [...body.slice(0, 19), 'CHANGED=1'];
    repo.write('new-name.env', `${edited.join('\n')}\n`);
    repo.stage('new-name.env');

    const { fragments } = await scanStaged(repo);
    expect(fragments).toEqual([{ text: `${edited.join('\n')}\n`, path: 'new-name.env', startLine: 1, onlyLines: [[20, 20]] }]);
  });

  it('yields nothing for deletions', async () => {
    const repo = createTestRepo();
    repo.write('gone.env', `${secretLine('deleted').line}\n`);
    repo.write('shrunk.env', 'A=1\nB=2\n');
    repo.commit('initial');
    repo.remove('gone.env');
    repo.write('shrunk.env', 'A=1\n');
    repo.stage('.');

    expect(await scanStaged(repo)).toEqual({ fragments: [], binary: [], clean: [], skipped: [], warnings: [] });
  });

  it('diffs against the HEAD it is given without asking git for it, and asks each size once, all in one process', async () => {
    const repo = createTestRepo();
    repo.write('a.txt', 'a\n');
    const head = repo.commit('initial');
    const { line } = secretLine('given-head');
    repo.write('.env', `${line}\n`);
    repo.write('b.txt', 'b\n');
    repo.stage('.');

    await withGitCallLog(async (calls, sizeRequests) => {
      const { fragments } = await scanStaged(repo, { head });
      expect(fragments.map((f) => [f.path, f.onlyLines])).toEqual([['.env', [[1, 1]]], ['b.txt', [[1, 1]]]]);
      const commands = calls().map((call) => call.split(' ').find((word) => !word.startsWith('-') && !word.includes('=')));
      expect(commands.sort()).toEqual(['cat-file', 'cat-file', 'diff-index', 'diff-index']);
      expect(sizeRequests().sort()).toEqual([repo.git(['rev-parse', ':.env']).trim(), repo.git(['rev-parse', ':b.txt']).trim()].sort());
    });
  });

  it('skips oversized and submodule entries with reasons and hands binary files over raw', async () => {
    const repo = createTestRepo();
    repo.write('a.txt', 'a\n');
    const first = repo.commit('initial');
    repo.write('image.png', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x0a, 0x01]));
    const big = `${'y'.repeat(300)}\n`;
    repo.write('big.txt', big);
    repo.stage('.');
    repo.git(['update-index', '--add', '--cacheinfo', `160000,${first},vendor/lib`]);

    const { fragments, skipped, binary } = await scanStaged(repo, { maxFileSize: 200 });
    expect(fragments).toEqual([]);
    expect(skipped).toEqual([
      { path: 'big.txt', reason: 'too-large', size: big.length, detail: `staged blob is ${big.length} bytes, over the 200-byte limit` },
      { path: 'vendor/lib', reason: 'submodule', detail: `submodule commit ${first}` },
    ]);
    expect(binary).toEqual([{ path: 'image.png', startLine: 1, onlyLines: [[1, 2]] }]);
  });

  it('pairs odd file names with their hunks', async () => {
    const repo = createTestRepo();
    const names = ['a b.env', 'new\nline.env', 'tab\there.env', `quo"te's.env`, 'ünïcödé/ファイル.env', 'back\\slash.env', 'z z/x "y".env'];
    names.forEach((name) => repo.write(name, 'KEEP=1\n'));
    repo.commit('initial');
    names.forEach((name, i) => repo.write(name, `KEEP=1\n${secretLine(`staged-odd-${i}`).line}\n`));
    repo.write('c d.env', 'NEW=1\n');
    repo.stage('.');

    const { fragments } = await scanStaged(repo);
    const byPath = new Map(fragments.map((f) => [f.path, f.onlyLines]));
    expect([...byPath.keys()].sort()).toEqual([...names, 'c d.env'].sort());
    for (const name of names) expect(byPath.get(name)).toEqual([[2, 2]]);
    expect(byPath.get('c d.env')).toEqual([[1, 1]]);
  });

  it('handles type changes between file and symlink', async () => {
    const repo = createTestRepo();
    repo.write('target.txt', 'target\n');
    repo.write('was-file.env', 'A=1\n');
    symlinkSync('target.txt', join(repo.dir, 'was-link'));
    repo.commit('initial');
    repo.remove('was-file.env');
    symlinkSync('target.txt', join(repo.dir, 'was-file.env'));
    repo.remove('was-link');
    const { line } = secretLine('type-change');
    repo.write('was-link', `${line}\n`);
    repo.stage('.');

    const { fragments, skipped } = await scanStaged(repo);
    expect(fragments).toEqual([{ text: `${line}\n`, path: 'was-link', startLine: 1, onlyLines: [[1, 1]] }]);
    expect(skipped).toEqual([{ path: 'was-file.env', reason: 'symlink', detail: 'staged symbolic link' }]);
  });

  it('still sees added lines in files that .gitattributes marks binary or -diff', async () => {
    const repo = createTestRepo();
    repo.write('.gitattributes', '*.env -diff\n*.cfg binary\n');
    repo.write('a.env', 'A=1\n');
    repo.write('b.cfg', 'B=1\n');
    repo.commit('initial');
    repo.write('a.env', `A=1\n${secretLine('attr-a').line}\n`);
    repo.write('b.cfg', `B=1\n${secretLine('attr-b').line}\n`);
    repo.stage('.');

    const { fragments } = await scanStaged(repo);
    expect(fragments.map((f) => [f.path, f.onlyLines])).toEqual([['a.env', [[2, 2]]], ['b.cfg', [[2, 2]]]]);
  });

  it('applies includePath', async () => {
    const repo = createTestRepo();
    repo.write('src/a.env', 'A=1\n');
    repo.write('vendor/b.env', 'B=1\n');
    repo.stage('.');

    const { fragments } = await scanStaged(repo, { includePath: (path) => !path.startsWith('vendor/') });
    expect(fragments.map((f) => f.path)).toEqual(['src/a.env']);
  });

  it('does not trip over unmerged paths during a conflicted merge', async () => {
    const repo = createTestRepo();
    repo.write('c.txt', 'base\n');
    repo.commit('base');
    repo.git(['checkout', '-q', '-b', 'side']);
    repo.write('c.txt', 'side\n');
    repo.commit('side');
    repo.git(['checkout', '-q', 'main']);
    repo.write('c.txt', 'main\n');
    repo.write('other.env', 'O=1\n');
    repo.commit('main');
    repo.write('clean.env', 'NEW=1\n');
    repo.stage('clean.env');
    expect(() => repo.git(['merge', '-q', 'side'])).toThrow();

    const { fragments } = await scanStaged(repo);
    expect(fragments.map((f) => [f.path, f.onlyLines])).toEqual([['clean.env', [[1, 1]]]]);
  });

  it('fails with one line when the path is not a repository', async () => {
    const dir = makeTempDir('segscan-staged-not-repo-');
    await expect(scanStaged(dir)).rejects.toThrow(new InputError(`not a git repository: ${dir}`));
  });
});

describe('stagedSource inside git hooks', () => {
  const saved = { index: process.env.GIT_INDEX_FILE, dir: process.env.GIT_DIR };
  afterEach(() => {
    for (const [name, value] of [['GIT_INDEX_FILE', saved.index], ['GIT_DIR', saved.dir]] as const) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  });

  it('reads the index git points a pre-commit hook at (GIT_INDEX_FILE), in the named repository (not GIT_DIR)', async () => {
    const repo = createTestRepo();
    repo.write('a.env', 'A=1\n');
    repo.commit('initial');
    // `git commit -a` or `git commit <path>` runs hooks against a temporary index.
    const alternate = join(repo.dir, '.git', 'next-index');
    copyFileSync(join(repo.dir, '.git', 'index'), alternate);
    const { line } = secretLine('hook-index');
    repo.write('a.env', `A=1\n${line}\n`);
    repo.git(['add', 'a.env'], { env: { GIT_INDEX_FILE: alternate } });
    const other = createTestRepo();

    process.env.GIT_INDEX_FILE = alternate;
    process.env.GIT_DIR = join(other.dir, '.git');
    const { fragments } = await scanStaged(repo);
    expect(fragments).toEqual([{ text: `A=1\n${line}\n`, path: 'a.env', startLine: 1, onlyLines: [[2, 2]] }]);
  });
});

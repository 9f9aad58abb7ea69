import { execFileSync } from 'node:child_process';
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { InputError, UnknownRevisionError, UsageError } from '../../src/errors.js';
import { commitDetails } from '../../src/sources/gitCommitDetails.js';
import { gitHistorySource, type GitHistoryOptions } from '../../src/sources/gitHistory.js';
import type { Fragment } from '../../src/types.js';
import { AUTHOR, cloneTestRepo, collectItems, createTestRepo, makeTempDir, removeTempDirs, secretLine, withGitCallLog, type TestRepo } from '../helpers/gitRepo.js';

afterAll(removeTempDirs);

const MB = 1024 * 1024;


function blobOf(repo: TestRepo, commit: string, path: string): string {
  return repo.git(['rev-parse', `${commit}:${path}`]).trim();
}

function withText(fragments: Fragment[], text: string): Fragment[] {
  return fragments.filter((f) => f.text.includes(text));
}

// Everything runs both ways cat-file can be driven: one `--batch-command` (git 2.36 and later, what
// `auto` picks here) and the `--batch-check` + `--batch` pair older git gets.
describe.each(['auto', 'two-processes'] as const)('gitHistorySource (cat-file: %s)', (catFile) => {
  const historySource = (options: GitHistoryOptions) => gitHistorySource({ ...options, catFile });
  const scan = (repo: TestRepo | string, options: Partial<GitHistoryOptions> = {}) =>
    collectItems(historySource({ repo: typeof repo === 'string' ? repo : repo.dir, maxFileSize: MB, ...options }));

  it('reads blobs with the cat-file processes of its mode', async () => {
    const repo = createTestRepo();
    repo.write('small.txt', 'small\n');
    repo.write('big.txt', 'x'.repeat(2000));
    repo.commit('two files');
    await withGitCallLog(async (calls) => {
      const { fragments, skipped } = await scan(repo, { maxFileSize: 1000 });
      expect(fragments.map((f) => [f.path, f.text])).toEqual([['small.txt', 'small\n']]);
      expect(skipped.map((s) => [s.path, s.reason, s.size])).toEqual([['big.txt', 'too-large', 2000]]);
      const catFiles = calls().filter((call) => call.includes(' cat-file ')).map((call) => call.slice(call.indexOf('cat-file'))).sort();
      // `auto` starts --batch-command beside the version check, and with an older git stops it unused.
      const [, major, minor] = /(\d+)\.(\d+)/.exec(execFileSync('git', ['version'], { encoding: 'utf8' }))!;
      const recentGit = Number(major) > 2 || (Number(major) === 2 && Number(minor) >= 36);
      if (catFile === 'auto' && recentGit) expect(catFiles).toEqual(['cat-file --batch-command --buffer']);
      else if (catFile === 'auto') expect(catFiles).toEqual(['cat-file --batch', 'cat-file --batch-check', 'cat-file --batch-command --buffer']);
      else expect(catFiles).toEqual(['cat-file --batch', 'cat-file --batch-check']);
    });
  });

  it('finds a secret that was added and deleted in the next commit, attributed to the adding commit', async () => {
    const repo = createTestRepo();
    repo.write('README.md', 'hello\n');
    repo.commit('initial');
    const { line, secret } = secretLine('added-then-deleted');
    repo.write('.env', `NODE_ENV=production\n${line}\n`);
    const added = repo.commit('add environment');
    repo.remove('.env');
    repo.commit('remove environment');

    const { fragments, skipped } = await scan(repo);
    expect(skipped).toEqual([]);
    const hits = withText(fragments, secret);
    expect(hits).toHaveLength(1);
    expect(hits[0]).toEqual({
      text: `NODE_ENV=production\n${line}\n`,
      path: '.env',
      startLine: 1,
      blob: blobOf(repo, added, '.env'),
      // The walk reads commit ids only; the details are looked up for commits with findings.
      commit: expect.objectContaining({ sha: added }),
    });
    expect(await commitDetails(repo.dir, [added])).toEqual(new Map([[added, {
      sha: added,
      authorName: AUTHOR.name,
      authorEmail: AUTHOR.email,
      date: '2021-01-01T01:00:00+00:00',
      subject: 'add environment',
    }]]));
  });

  it('scans unmerged branches and tags, not just HEAD', async () => {
    const repo = createTestRepo();
    repo.write('app.js', 'console.log(1)\n');
    repo.commit('initial');
    repo.git(['checkout', '-q', '-b', 'feature']);
    const onBranch = secretLine('unmerged-branch');
    repo.write('config.json', `{"segmentWriteKey": "${onBranch.secret}"}\n`);
    const featureCommit = repo.commit('feature work');
    repo.git(['checkout', '-q', 'main']);
    repo.git(['checkout', '-q', '--orphan', 'tagged-only']);
    const onTag = secretLine('tag-only');
    repo.write('tag.env', `${onTag.line}\n`);
    const tagCommit = repo.commit('tagged');
    repo.git(['tag', 'v1']);
    repo.git(['checkout', '-q', 'main']);
    repo.git(['branch', '-D', 'tagged-only']);

    const { fragments } = await scan(repo);
    expect(withText(fragments, onBranch.secret).map((f) => [f.path, f.commit?.sha])).toEqual([['config.json', featureCommit]]);
    expect(withText(fragments, onTag.secret).map((f) => [f.path, f.commit?.sha])).toEqual([['tag.env', tagCommit]]);
  });

  it('attributes a renamed file to its original path once, and scans a rename with edits again', async () => {
    const repo = createTestRepo();
    const { line, secret } = secretLine('rename');
    repo.write('config.json', `${line}\n`);
    const added = repo.commit('add config');
    repo.git(['mv', 'config.json', 'settings.json']);
    repo.commit('rename config');
    repo.remove('settings.json');
    repo.write('deploy/settings.yaml', `${line}\nregion: eu\n`);
    const edited = repo.commit('move and edit');

    const { fragments } = await scan(repo);
    expect(withText(fragments, secret).map((f) => [f.path, f.commit?.sha])).toEqual([
      ['config.json', added],
      ['deploy/settings.yaml', edited],
    ]);
  });

  it('yields each distinct version of a file changed in 50 commits once, oldest first', async () => {
    const repo = createTestRepo();
    repo.write('unchanged.txt', 'stays the same\n');
    const lines: string[] = [];
    const expected: Array<[string, string]> = [];
    for (let i = 0; i < 50; i++) {
      lines.push(secretLine(`long-lived-${i}`).line);
      repo.write('.env', `${lines.join('\n')}\n`);
      const sha = repo.commit(`version ${i}`);
      expected.push([sha, blobOf(repo, sha, '.env')]);
    }
    // Going back to an earlier version introduces nothing new.
    repo.write('.env', `${lines.slice(0, 10).join('\n')}\n`);
    repo.commit('revert to version 9');

    const source = historySource({ repo: repo.dir, maxFileSize: MB });
    const { fragments } = await collectItems(source);
    const envFragments = fragments.filter((f) => f.path === '.env');
    expect(envFragments.map((f) => [f.commit?.sha, f.blob])).toEqual(expected);
    expect(fragments.filter((f) => f.path === 'unchanged.txt')).toHaveLength(1);
    expect(source.stats).toEqual({ commits: 51, blobs: 51, skipped: 0 });
  });

  it('finds new text written while resolving a merge conflict, attributed to the merge commit', async () => {
    const repo = createTestRepo();
    repo.write('settings.yaml', 'key: base\n');
    repo.commit('base');
    repo.git(['checkout', '-q', '-b', 'side']);
    repo.write('settings.yaml', 'key: side\n');
    repo.write('side.txt', 'only on side\n');
    repo.commit('side change');
    repo.git(['checkout', '-q', 'main']);
    repo.write('settings.yaml', 'key: main\n');
    repo.commit('main change');
    expect(() => repo.git(['merge', '-q', 'side', '-m', 'merge side'])).toThrow();
    const resolution = secretLine('merge-resolution');
    repo.write('settings.yaml', `key: merged\n${resolution.line}\n`);
    const merge = repo.commit('merge side');

    const { fragments } = await scan(repo);
    const hits = withText(fragments, resolution.secret);
    expect(hits.map((f) => [f.path, f.commit?.sha])).toEqual([['settings.yaml', merge]]);
    // Blobs carried into the merge from a parent are not repeated.
    expect(fragments.map((f) => f.blob)).toHaveLength(new Set(fragments.map((f) => f.blob)).size);
    expect(fragments.filter((f) => f.path === 'side.txt')).toHaveLength(1);
    expect(fragments.map((f) => f.text)).toEqual(['key: base\n', 'key: side\n', 'only on side\n', 'key: main\n', `key: merged\n${resolution.line}\n`]);
  });

  it('yields nothing and fails nothing for an empty repository', async () => {
    const repo = createTestRepo();
    const source = historySource({ repo: repo.dir, maxFileSize: MB });
    expect(await collectItems(source)).toEqual({ fragments: [], binary: [], clean: [], skipped: [], warnings: [] });
    expect(source.stats.commits).toBe(0);
  });

  it('scans what a shallow clone holds', async () => {
    const origin = createTestRepo();
    const old = secretLine('shallow-old');
    origin.write('old.env', `${old.line}\n`);
    origin.commit('old');
    origin.remove('old.env');
    const current = secretLine('shallow-current');
    origin.write('current.env', `${current.line}\n`);
    const tip = origin.commit('tip');
    const clone = cloneTestRepo(origin, ['--depth', '1']);

    const { fragments } = await scan(clone);
    expect(fragments.map((f) => [f.path, f.commit?.sha])).toEqual([['current.env', tip]]);
  });

  it('scans a bare repository', async () => {
    const origin = createTestRepo();
    const { line, secret } = secretLine('bare');
    origin.write('deploy/.env', `${line}\n`);
    const sha = origin.commit('add');
    const bare = cloneTestRepo(origin, ['--bare']);

    const { fragments } = await scan(bare);
    expect(withText(fragments, secret).map((f) => [f.path, f.commit?.sha])).toEqual([['deploy/.env', sha]]);
  });

  it('scans a commit only reachable from a detached HEAD', async () => {
    const repo = createTestRepo();
    repo.write('a.txt', 'a\n');
    repo.commit('initial');
    repo.git(['checkout', '-q', '--detach']);
    const { line, secret } = secretLine('detached');
    repo.write('b.env', `${line}\n`);
    const detached = repo.commit('on detached head');

    const { fragments } = await scan(repo);
    expect(withText(fragments, secret).map((f) => f.commit?.sha)).toEqual([detached]);
  });

  it('keeps odd file names exact', async () => {
    const repo = createTestRepo();
    const names = ['with space.env', 'new\nline.env', 'tab\there.env', `quo"te's.env`, 'ünïcödé/ファイル.env', '-rf', ':colon', 'back\\slash.env'];
    names.forEach((name, i) => repo.write(name, `${secretLine(`odd-${i}`).line}\n`));
    repo.commit('odd names');

    const { fragments } = await scan(repo);
    expect(fragments.map((f) => f.path).sort()).toEqual([...names].sort());
    names.forEach((name, i) => {
      expect(fragments.find((f) => f.path === name)?.text).toBe(`${secretLine(`odd-${i}`).line}\n`);
    });
  });

  it('limits the walk to what a range adds', async () => {
    const repo = createTestRepo();
    const before = secretLine('range-before');
    repo.write('a.env', `${before.line}\n`);
    const base = repo.commit('base');
    const inRange = secretLine('range-inside');
    repo.write('b.env', `${inRange.line}\n`);
    const added = repo.commit('pull request change');
    repo.write('a.env', `${before.line}\nEXTRA=1\n`);
    const edited = repo.commit('pull request edit');

    const source = historySource({ repo: repo.dir, maxFileSize: MB, range: `${base}..${edited}` });
    const { fragments } = await collectItems(source);
    expect(fragments.map((f) => [f.path, f.commit?.sha])).toEqual([['b.env', added], ['a.env', edited]]);
    expect(source.stats.commits).toBe(2);
  });

  it('limits the walk to commits since a date', async () => {
    const repo = createTestRepo();
    repo.write('old.env', `${secretLine('since-old').line}\n`);
    repo.commit('old', { date: '2020-01-01T00:00:00Z' });
    repo.write('new.env', `${secretLine('since-new').line}\n`);
    const recent = repo.commit('new', { date: '2022-06-01T00:00:00Z' });

    const { fragments } = await scan(repo, { since: '2021-01-01T00:00:00Z' });
    expect(fragments.map((f) => [f.path, f.commit?.sha])).toEqual([['new.env', recent]]);
  });

  it('limits the walk to named branches', async () => {
    const repo = createTestRepo();
    repo.write('base.txt', 'base\n');
    repo.commit('base');
    repo.git(['checkout', '-q', '-b', 'one']);
    repo.write('one.env', `${secretLine('branch-one').line}\n`);
    repo.commit('one');
    repo.git(['checkout', '-q', '-b', 'two', 'main']);
    repo.write('two.env', `${secretLine('branch-two').line}\n`);
    repo.commit('two');

    expect((await scan(repo, { branches: ['one'] })).fragments.map((f) => f.path)).toEqual(['base.txt', 'one.env']);
    expect((await scan(repo, { branches: ['main', 'two'] })).fragments.map((f) => f.path)).toEqual(['base.txt', 'two.env']);
    await expect(scan(repo, { branches: ['missing'] })).rejects.toThrow(new UnknownRevisionError('missing', repo.dir));
  });

  it('refuses revisions that git would read as options', () => {
    expect(() => historySource({ repo: '.', maxFileSize: MB, branches: ['--output=/tmp/x'] })).toThrow(UsageError);
    expect(() => historySource({ repo: '.', maxFileSize: MB, range: '--all' })).toThrow(UsageError);
    expect(() => historySource({ repo: '.', maxFileSize: MB, range: 'a..b', branches: ['main'] })).toThrow(UsageError);
  });

  it('skips oversized blobs with reasons and commits, hands binary blobs over raw, and scans LFS pointers as text', async () => {
    const repo = createTestRepo();
    repo.write('logo.png', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x01, 0x02]));
    const big = `${secretLine('oversized').line}\n${'x'.repeat(300)}\n`;
    repo.write('big.env', big);
    const lfs = 'version https://git-lfs.github.com/spec/v1\noid sha256:4d7a214614ab2935c943f9e0ff69d22eadbb8f32b1258daaa5e2ca24d17e2393\nsize 12345\n';
    repo.write('model.bin', lfs);
    repo.write('small.env', 'A=1\n');
    const sha = repo.commit('assets');

    const { fragments, skipped, binary } = await scan(repo, { maxFileSize: 200 });
    expect(fragments.map((f) => f.path).sort()).toEqual(['model.bin', 'small.env']);
    expect(fragments.find((f) => f.path === 'model.bin')?.text).toBe(lfs);
    const bigBlob = blobOf(repo, sha, 'big.env');
    expect(skipped).toEqual([
      { path: 'big.env', reason: 'too-large', size: big.length, commit: sha, detail: `blob ${bigBlob} is ${big.length} bytes, over the 200-byte limit` },
    ]);
    // Binary content is handed over raw with its origin; the scanner reports it as skipped.
    expect(binary.map((o) => [o.path, o.commit?.sha, o.blob])).toEqual([['logo.png', sha, blobOf(repo, sha, 'logo.png')]]);
  });

  it('with a first look, counts clean blobs in runs, and yields the others with their content', async () => {
    const repo = createTestRepo();
    const { line, secret } = secretLine('first-look');
    repo.write('notes.md', 'nothing to see\n');
    repo.write('keys.env', `${line}\n`);
    repo.write('logo.png', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x01]));
    const sha = repo.commit('files');
    repo.write('notes.md', 'still nothing\n');
    repo.commit('edit notes');

    const looked: string[] = [];
    const isClean = (content: Uint8Array) => {
      const text = Buffer.from(content).toString('latin1');
      looked.push(text);
      return !text.includes('\0') && !text.includes(secret);
    };
    const source = historySource({ repo: repo.dir, maxFileSize: MB, isClean });
    const { fragments, binary, clean, skipped } = await collectItems(source);
    expect(skipped).toEqual([]);
    // The two versions of notes.md: one run, or two when the consumer came between them.
    expect(clean.reduce((sum, run) => ({ files: sum.files + run.files, bytes: sum.bytes + run.bytes }), { files: 0, bytes: 0 })).toEqual({ files: 2, bytes: 15 + 14 });
    expect(clean.every((run) => run.files > 0)).toBe(true);
    expect(fragments.map((f) => [f.path, f.text, f.commit?.sha])).toEqual([['keys.env', `${line}\n`, sha]]);
    expect(binary.map((o) => o.path)).toEqual(['logo.png']);
    // One look per blob, and the blobs it keeps are counted like the clean ones.
    expect(looked).toHaveLength(4);
    expect(source.stats).toEqual({ commits: 2, blobs: 4, skipped: 0 });
  });

  it('decodes UTF-16 text and strips a UTF-8 byte-order mark', async () => {
    const repo = createTestRepo();
    const { line } = secretLine('utf16');
    repo.write('utf16le.env', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(`${line}\n`, 'utf16le')]));
    const be = Buffer.from(`${line}\n`, 'utf16le');
    be.swap16();
    repo.write('utf16be.env', Buffer.concat([Buffer.from([0xfe, 0xff]), be]));
    repo.write('bom.env', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(`${line}\n`)]));
    repo.commit('encodings');

    const { fragments, skipped } = await scan(repo);
    expect(skipped).toEqual([]);
    expect(fragments.map((f) => [f.path, f.text])).toEqual([
      ['bom.env', `${line}\n`],
      ['utf16be.env', `${line}\n`],
      ['utf16le.env', `${line}\n`],
    ]);
  });

  it('reports submodule gitlinks as skipped', async () => {
    const repo = createTestRepo();
    repo.write('a.txt', 'a\n');
    const first = repo.commit('first');
    repo.git(['update-index', '--add', '--cacheinfo', `160000,${first},vendor/lib`]);
    const sha = repo.commit('add submodule', { addAll: false });

    const { skipped } = await scan(repo);
    expect(skipped).toEqual([{ path: 'vendor/lib', reason: 'submodule', commit: sha, detail: `submodule commit ${first}` }]);
  });

  it('applies includePath, and still scans a blob first seen at an excluded path when it appears at an included one', async () => {
    const repo = createTestRepo();
    const { line } = secretLine('include-path');
    repo.write('vendor/copy.env', `${line}\n`);
    repo.commit('vendored');
    repo.write('app.env', `${line}\n`);
    const sha = repo.commit('app copy');

    const { fragments } = await scan(repo, { includePath: (path) => !path.startsWith('vendor/') });
    expect(fragments.map((f) => [f.path, f.commit?.sha])).toEqual([['app.env', sha]]);
  });

  describe('refs that reach blobs without a commit', () => {
    /** A repository with a commit, a tag naming a blob, and tags (one of a tag) naming a tree. */
    function taggedObjects() {
      const repo = createTestRepo();
      const inHistory = secretLine('tagged-also-in-history');
      repo.write('app.env', `${inHistory.line}\n`);
      const sha = repo.commit('app');
      const blob = secretLine('tagged-blob');
      const blobId = repo.git(['hash-object', '-w', '--stdin'], { input: `${blob.line}\n` }).trim();
      repo.git(['tag', 'key-blob', blobId]);
      const tree = secretLine('tagged-tree');
      const file = (text: string) => repo.git(['hash-object', '-w', '--stdin'], { input: text }).trim();
      const treeId = repo.git(['mktree', '-z'], {
        input: [
          `100644 blob ${file(`${tree.line}\n`)}\tconfig.env`,
          `100644 blob ${blobOf(repo, sha, 'app.env')}\tcopy-of-app.env`,
          `100644 blob ${file(`${tree.line}\n# excluded\n`)}\tdocs.env`,
        ].map((entry) => `${entry}\0`).join(''),
      }).trim();
      const nested = repo.git(['mktree', '-z'], { input: `040000 tree ${treeId}\tsettings\0` }).trim();
      repo.git(['tag', '-a', '-m', 'tree', 'key-tree', nested]);
      repo.git(['tag', '-a', '-m', 'tag of a tag', 'z-key-tree-again', 'key-tree']);
      return { repo, sha, blob, blobId, tree };
    }

    it('scans tagged blobs and the files of tagged trees after the history, named as git names them, once each', async () => {
      const { repo, sha, blob, blobId, tree } = taggedObjects();
      const source = historySource({ repo: repo.dir, maxFileSize: MB });
      const { fragments, skipped } = await collectItems(source);
      expect(skipped).toEqual([]);
      expect(fragments.map((f) => [f.path, f.commit?.sha ?? null])).toEqual([
        ['app.env', sha],
        // The blob also in a commit is read there; the tag of a tag adds nothing new.
        ['refs/tags/key-blob', null],
        ['refs/tags/key-tree:settings/config.env', null],
        ['refs/tags/key-tree:settings/docs.env', null],
      ]);
      expect(fragments[1]).toEqual({ text: `${blob.line}\n`, path: 'refs/tags/key-blob', startLine: 1, blob: blobId });
      expect(fragments[2]?.text).toBe(`${tree.line}\n`);
      expect(source.stats).toEqual({ commits: 1, blobs: 4, skipped: 0 });
    });

    it('filters the files of tagged trees by their path in the tree', async () => {
      const { repo } = taggedObjects();
      const { fragments } = await scan(repo, { includePath: (path) => !path.startsWith('settings/docs') });
      expect(fragments.map((f) => f.path)).toEqual(['app.env', 'refs/tags/key-blob', 'refs/tags/key-tree:settings/config.env']);
    });

    it('reads those a --branch names (named as given), and none in a walk since a date or of a range', async () => {
      const { repo } = taggedObjects();
      expect((await scan(repo, { branches: ['main'] })).fragments.map((f) => f.path)).toEqual(['app.env']);
      expect((await scan(repo, { branches: ['main', 'key-tree', 'key-blob'] })).fragments.map((f) => f.path)).toEqual([
        'app.env', 'key-tree:settings/config.env', 'key-tree:settings/docs.env', 'key-blob',
      ]);
      expect((await scan(repo, { since: '2000-01-01' })).fragments.map((f) => f.path)).toEqual(['app.env']);
      repo.write('b.txt', 'b\n');
      repo.commit('second');
      expect((await scan(repo, { range: 'main~1..main' })).fragments.map((f) => f.path)).toEqual(['b.txt']);
    });
  });

  it('handles thousands of refs', async () => {
    const repo = createTestRepo();
    const shas: string[] = [];
    for (let i = 0; i < 5; i++) {
      repo.write(`f${i}.txt`, `${i}\n`);
      shas.push(repo.commit(`c${i}`));
    }
    const updates = Array.from({ length: 3000 }, (_, i) => `create refs/tags/t${i} ${shas[i % shas.length]}\n`).join('');
    repo.git(['update-ref', '--stdin'], { input: updates });

    const source = historySource({ repo: repo.dir, maxFileSize: MB });
    const { fragments } = await collectItems(source);
    expect(fragments.map((f) => f.path)).toEqual(['f0.txt', 'f1.txt', 'f2.txt', 'f3.txt', 'f4.txt']);
    expect(source.stats.commits).toBe(5);
  });

  it('fails with one line naming the path when it is not a repository', async () => {
    const dir = makeTempDir('segscan-not-repo-');
    await expect(scan(dir)).rejects.toThrow(new InputError(`not a git repository: ${dir}`));
    await expect(scan(join(dir, 'missing'))).rejects.toThrow(new InputError(`no such directory: ${join(dir, 'missing')}`));
  });

  it('names the object id when a blob is corrupt', async () => {
    const repo = createTestRepo();
    repo.write('a.txt', 'hello\n');
    const sha = repo.commit('one');
    const blob = blobOf(repo, sha, 'a.txt');
    const file = join(repo.dir, '.git', 'objects', blob.slice(0, 2), blob.slice(2));
    chmodSync(file, 0o644);
    writeFileSync(file, 'garbage');

    await expect(scan(repo)).rejects.toThrow(new InputError(`git object ${blob} is corrupt or missing in ${repo.dir}: run git fsck`));
  });

  it('stops git when the consumer stops early or the scan is aborted', async () => {
    const repo = createTestRepo();
    for (let i = 0; i < 40; i++) repo.write(`f${i}.txt`, `${i}\n`);
    repo.commit('many files');

    const source = historySource({ repo: repo.dir, maxFileSize: MB });
    let seen = 0;
    for await (const item of source.items()) {
      if (item.kind === 'content') seen++;
      if (seen === 2) break;
    }
    expect(seen).toBe(2);

    const controller = new AbortController();
    const reason = new Error('interrupted');
    const run = (async () => {
      for await (const item of source.items(controller.signal)) {
        if (item.kind === 'content') controller.abort(reason);
      }
    })();
    await expect(run).rejects.toBe(reason);
  });
});

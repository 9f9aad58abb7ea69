// Release step (`npm run release-tree -- DIR [--commit]`, after `npm run build`): the tree a
// release tag points at. It is what `npm pack` ships (the built CLI, rules, README), plus the
// action and the pre-commit hook manifest, with a package.json that has no scripts and no
// devDependencies, the production lockfile as npm-shrinkwrap.json, and an .npmrc for the
// pre-commit framework. Installing such a tag from git (npm, pre-commit, `uses:`) builds nothing:
//
// - npm installs a git dependency with no install-time scripts by packing its files as they are.
// - pre-commit runs `npm install` in its clone (the .npmrc's ignore-scripts keeps re2 from being
//   compiled there for nothing), `npm pack`, then `npm install -g` of the tarball: npm ignores a
//   project .npmrc in global mode, so re2 is fetched or compiled once, there.
//
// With --commit, the tree is also written as a commit whose parent is HEAD (the source it was
// built from), and its id printed for `git tag`.
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { packageFile } from '../packageFiles.js';
import { releaseManifest, releaseShrinkwrap, type Lockfile, type PackageManifest } from './releaseManifest.js';

const NPMRC = `# For the pre-commit framework, which runs npm install in its clone of this tag before packing it:
# the built CLI is here, so nothing needs to run (npm install -g of the tarball, in global mode,
# does not read this file, and builds re2 there).
ignore-scripts=true
# pre-commit reads the tarball name from npm pack's stdout.
foreground-scripts=false
`;

const [outArg, ...flags] = process.argv.slice(2);
if (!outArg || outArg.startsWith('-')) {
  process.stderr.write('segscan: error: name the directory to write the release tree to (npm run release-tree -- DIR [--commit])\n');
  process.exit(2);
}
const out = resolve(outArg);
if (existsSync(out) && readdirSync(out).length > 0) {
  process.stderr.write(`segscan: error: ${out} is not empty; name a new or empty directory\n`);
  process.exit(2);
}

const root = packageFile();
const work = mkdtempSync(join(tmpdir(), 'segscan-release-'));
try {
  // The files npm would publish, from the build in dist/ (prepare is not run again).
  const packed = JSON.parse(execFileSync('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', work], { cwd: root, encoding: 'utf8' })) as Array<{ filename: string }>;
  const tarball = join(work, packed[0]?.filename ?? '');
  execFileSync('mkdir', ['-p', out]);
  execFileSync('tar', ['-xzf', tarball, '-C', out, '--strip-components=1']);
  const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as PackageManifest;
  writeFileSync(join(out, 'package.json'), `${JSON.stringify(releaseManifest(manifest), null, 2)}\n`);
  const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8')) as Lockfile;
  writeFileSync(join(out, 'npm-shrinkwrap.json'), `${JSON.stringify(releaseShrinkwrap(lock), null, 2)}\n`);
  for (const file of ['action.yml', '.pre-commit-hooks.yaml']) copyFileSync(join(root, file), join(out, file));
  writeFileSync(join(out, '.npmrc'), NPMRC);
  process.stdout.write(`segscan: release tree of ${manifest.name} ${manifest.version} written to ${out}\n`);
  if (flags.includes('--commit')) {
    const commit = commitTree(root, out, manifest.version);
    process.stdout.write(`segscan: release commit ${commit}; tag it: git tag v${manifest.version} ${commit}\n`);
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}

/** The tree as a commit on top of HEAD, through a private index (the work tree is untouched). */
function commitTree(repo: string, tree: string, version: string): string {
  const index = join(work, 'index');
  const gitDir = execFileSync('git', ['rev-parse', '--absolute-git-dir'], { cwd: repo, encoding: 'utf8' }).trim();
  const env = { ...process.env, GIT_INDEX_FILE: index, GIT_DIR: gitDir };
  // --force: the repository's .gitignore leaves out dist/, which is the point of this tree.
  execFileSync('git', ['--work-tree', tree, 'add', '--force', '--all', '.'], { cwd: tree, env });
  const treeId = execFileSync('git', ['write-tree'], { cwd: repo, env, encoding: 'utf8' }).trim();
  return execFileSync('git', ['commit-tree', treeId, '-p', 'HEAD', '-m', `segscan ${version}: release tree (built CLI)`], { cwd: repo, env, encoding: 'utf8' }).trim();
}

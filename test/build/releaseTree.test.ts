// The release tree (src/build/releaseTree.ts) is what git installs of a release tag get: it must
// hold the built CLI and nothing that makes npm or pre-commit build it again.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { releaseManifest, releaseShrinkwrap, type Lockfile } from '../../src/build/releaseManifest.js';
import { makeTempDir, removeTempDirs } from '../helpers/gitRepo.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
afterAll(removeTempDirs);

describe('the release manifest', () => {
  it('has no scripts and no devDependencies, and allows install scripts only for runtime packages', () => {
    const manifest = releaseManifest({
      name: 'segscan',
      version: '1.0.0',
      scripts: { build: 'tsc', prepare: 'npm run build' },
      dependencies: { re2: '1' },
      devDependencies: { typescript: '5' },
      allowScripts: { re2: true, esbuild: true },
    });
    expect(manifest).toEqual({ name: 'segscan', version: '1.0.0', dependencies: { re2: '1' }, allowScripts: { re2: true } });
  });

  it('keeps the production packages of the lockfile', () => {
    const lock: Lockfile = {
      lockfileVersion: 3,
      packages: {
        '': { name: 'segscan', dependencies: { re2: '1' }, devDependencies: { typescript: '5' } },
        'node_modules/re2': { version: '1.27.1' },
        'node_modules/typescript': { version: '5.9.3', dev: true },
      },
    };
    expect(releaseShrinkwrap(lock).packages).toEqual({ '': { name: 'segscan', dependencies: { re2: '1' } }, 'node_modules/re2': { version: '1.27.1' } });
  });
});

describe('the release tree of this checkout', () => {
  it('holds the built CLI, the action and the hooks, and no source, scripts or dev dependencies', () => {
    const tree = join(makeTempDir('segscan-release-'), 'tree');
    execFileSync(process.execPath, [join(ROOT, 'dist/build/releaseTree.js'), tree], { cwd: ROOT, stdio: 'pipe' });
    for (const file of ['dist/bin.js', 'dist/pool/scanWorker.js', 'dist/builtin-rules.json', 'rules/schema.json', 'action.yml', '.pre-commit-hooks.yaml', 'npm-shrinkwrap.json', '.npmrc', 'README.md']) {
      expect(existsSync(join(tree, file)), file).toBe(true);
    }
    for (const file of ['src/cli.ts', 'tsconfig.json', 'package-lock.json', 'test', 'dist/build']) expect(existsSync(join(tree, file)), file).toBe(false);
    const manifest = JSON.parse(readFileSync(join(tree, 'package.json'), 'utf8')) as Record<string, unknown>;
    expect(manifest.scripts).toBeUndefined();
    expect(manifest.devDependencies).toBeUndefined();
    const shrinkwrap = JSON.parse(readFileSync(join(tree, 'npm-shrinkwrap.json'), 'utf8')) as Lockfile;
    expect(Object.keys(shrinkwrap.packages).filter((p) => /node_modules\/(typescript|vitest|esbuild)$/.test(p))).toEqual([]);
    expect(readFileSync(join(tree, '.npmrc'), 'utf8')).toMatch(/^ignore-scripts=true$/m);
    // It runs as it is, from its own directory.
    const version = spawnSync(process.execPath, [join(tree, 'dist/bin.js'), '--version'], { encoding: 'utf8' });
    expect(version.stdout).toBe(`${(manifest as { version: string }).version}\n`);
  });
});

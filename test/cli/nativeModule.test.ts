// re2 is a native addon built for one Node.js version. When the build segscan finds is broken,
// missing or made for another Node (switched with nvm after installing), segscan says so in one
// line with the command that fixes it, instead of "internal error" with the cause cut off.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { nativeModuleError } from '../../src/engine/regex.js';
import { makeTempDir, removeTempDirs } from '../helpers/gitRepo.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
afterAll(removeTempDirs);

/** An installed segscan whose re2 has `addon` (bytes, or absent) as its built module. */
function installWithAddon(addon: Buffer | undefined): string {
  const pkg = makeTempDir('segscan-native-');
  for (const entry of ['package.json', 'dist', 'rules']) cpSync(join(ROOT, entry), join(pkg, entry), { recursive: true });
  const modules = join(pkg, 'node_modules');
  mkdirSync(modules);
  for (const name of readdirSync(join(ROOT, 'node_modules'))) {
    if (name !== 're2' && name !== '.bin') symlinkSync(join(ROOT, 'node_modules', name), join(modules, name));
  }
  const re2 = join(modules, 're2');
  for (const entry of ['package.json', 're2.js', 'lib']) cpSync(join(ROOT, 'node_modules/re2', entry), join(re2, entry), { recursive: true });
  mkdirSync(join(re2, 'build/Release'), { recursive: true });
  if (addon) writeFileSync(join(re2, 'build/Release/re2.node'), addon);
  return pkg;
}

function scan(pkg: string) {
  const r = spawnSync(process.execPath, [join(pkg, 'dist/bin.js'), 'dir', join(ROOT, 'rules')], { encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, lines: r.stderr.split('\n').filter((l) => l !== '') };
}

describe('a broken re2 build', () => {
  it('that is not a loadable module: one line, exit 2, naming npm rebuild re2 and where to run it', () => {
    const pkg = installWithAddon(Buffer.from('this is not an ELF file\n'.repeat(50)));
    const r = scan(pkg);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.lines).toHaveLength(1);
    expect(r.lines[0]).toMatch(/^segscan: error: re2's native module could not be loaded \(.*\); run `npm rebuild re2` in /);
    expect(r.lines[0]).toContain(`in ${pkg}`);
    expect(r.lines[0]).not.toContain('internal error');
  });

  it('that is missing (installed with --ignore-scripts)', () => {
    const pkg = installWithAddon(undefined);
    const r = scan(pkg);
    expect(r.status).toBe(2);
    expect(r.lines).toEqual([`segscan: error: re2's native module is missing (was segscan installed with --ignore-scripts?); run \`npm rebuild re2\` in ${pkg}`]);
  });

  it('that was built for another Node.js: names both versions (the message Node gives for it)', () => {
    // Node's own words when a module built for another ABI is loaded (here, Node 24's on Node 22).
    const error = Object.assign(
      new Error(
        "The module '/home/dev/app/node_modules/re2/build/Release/re2.node'\nwas compiled against a different Node.js version using\nNODE_MODULE_VERSION 137. This version of Node.js requires\nNODE_MODULE_VERSION 127. Please try re-compiling or re-installing\nthe module (for instance, using `npm rebuild` or `npm install`).",
      ),
      { code: 'ERR_DLOPEN_FAILED' },
    );
    expect(nativeModuleError(error).message).toBe(
      `re2's native module was built for another Node.js version (module version 137; Node ${process.version} needs 127); run \`npm rebuild re2\` in /home/dev/app`,
    );
  });
});

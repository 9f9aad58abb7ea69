// The installed CLI is a bundle (src/build/bundle.ts): dist/bin.js and dist/pool/scanWorker.js
// with their modules inlined and shared code in dist/chunks/. These tests run that bundle as a
// user would, from outside the package, and check what bundling could break: the files it reads
// from the package (package.json, the rules and their cache), the worker threads of a big scan,
// and which modules it still loads from node_modules.
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { fakeCredentials } from '../../src/rules/templates.js';
import { build } from 'esbuild';
import { lazyStringWidth } from '../../src/build/lazyStringWidth.js';
import { BIN, runBin, runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/fixtureTree.js';
import { createTestRepo, removeTempDirs } from '../helpers/gitRepo.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const DIST = join(ROOT, 'dist');
const keys = fakeCredentials('cli-bundle');

afterAll(removeTempDirs);

/** Every file of the bundle: the two entry points and the shared chunks. */
function bundleFiles(): string[] {
  return [BIN, join(DIST, 'pool', 'scanWorker.js'), ...readdirSync(join(DIST, 'chunks')).map((name) => join(DIST, 'chunks', name))];
}

/** Module specifiers of the static and dynamic imports, and of the createRequire() loads, in a built file. */
function importsOf(file: string): string[] {
  const code = readFileSync(file, 'utf8');
  return [...code.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*|^import\s+|\bcreateRequire\d*\(import\.meta\.url\)\(\s*)["']([^"']+)["']/gm)].map((m) => m[1] as string);
}

describe('the bundled CLI', () => {
  it('loads only its chunks, Node built-ins and the packages left out of the bundle', () => {
    const files = bundleFiles();
    const builtin = (s: string) => s.startsWith('node:') || builtinModules.includes(s);
    const outside = new Set(files.flatMap(importsOf).filter((s) => !s.startsWith('./') && !s.startsWith('../') && !builtin(s)));
    expect([...outside].sort()).toEqual(['ajv', 'cli-progress', 're2', 'undici', 'yaml']);
    // What the bundle loads at run time is what an install of the package brings, and nothing more.
    const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
    expect(Object.keys(manifest.dependencies).sort()).toEqual([...outside].sort());
    // tsc's own dist/bin.js imports ./cli.js; the bundle's entry imports only chunks.
    expect(importsOf(BIN).every((s) => s.startsWith('./chunks/') || s.startsWith('node:'))).toBe(true);
  });

  it('loads no worker_threads, zlib or v8 for a staged scan (each was ~3 ms of a commit hook)', () => {
    const repo = createTestRepo();
    repo.write('a.txt', 'a\n');
    repo.commit('one');
    repo.write('b.txt', 'b\n');
    repo.stage('b.txt');
    const dir = tempDir({});
    const hook = join(dir, 'loaded.cjs');
    writeFileSync(hook, "process.on('exit', () => process.stderr.write(`loaded:${process.moduleLoadList.filter((m) => m.startsWith('NativeModule ')).map((m) => m.slice(13)).join(',')}\\n`));\n");
    const watched = (stderr: string) => (/loaded:(.*)/.exec(stderr)?.[1] ?? '').split(',').filter((name) => ['worker_threads', 'zlib', 'v8', 'child_process'].includes(name));
    const result = runBin(['staged', repo.dir, '--format', 'sarif'], { env: { NODE_OPTIONS: `--require ${hook}` } });
    expect(result.exitCode).toBe(0);
    expect(watched(result.stderr)).toContain('child_process'); // the list is the real one
    // What Node loads itself for the built-ins the CLI imports (yargs' `util`): on Node 24, an
    // ESM import of util loads worker_threads.
    writeFileSync(join(dir, 'baseline.mjs'), "import 'node:child_process';\nimport 'util';\n");
    const baseline = spawnSync(process.execPath, ['--require', hook, join(dir, 'baseline.mjs')], { encoding: 'utf8' });
    expect(watched(result.stderr).sort()).toEqual(watched(baseline.stderr).sort());
  });

  it('builds no Intl.Segmenter while loading (string-width only needs one for help text)', () => {
    const eager = bundleFiles().filter((file) => /^(?:var|let|const) \w+ = new Intl\.Segmenter\(/m.test(readFileSync(file, 'utf8')));
    expect(eager).toEqual([]);
    // The help text still lays out wide columns, which is what string-width measures.
    expect(runBin(['--help']).stdout).toMatch(/^ {2}segscan dir \[paths\.\.\] +Scan files/m);
  });

  it('initialises string-width on its first non-ASCII text, with the same answers as string-width', async () => {
    const dir = tempDir({});
    const samples = ['', 'segscan dir [paths..]', '  --format, -f  Output format', 'naïve café', 'e\u0301', '中文字', 'ｶﾀｶﾅ', '한국어', '👍', '👨‍👩‍👧', '\u001b[31mred\u001b[39m', 'tab\there'];
    writeFileSync(join(dir, 'entry.mjs'), [
      'let segmenters = 0;',
      'const Real = Intl.Segmenter;',
      'Intl.Segmenter = class extends Real { constructor(...a) { super(...a); segmenters++; } };',
      "const { default: stringWidth } = await import('./lazy.mjs');",
      `const samples = ${JSON.stringify(samples)};`,
      "const ascii = samples.slice(0, 3).map((s) => stringWidth(s));",
      'const before = segmenters;',
      'const all = samples.map((s) => stringWidth(s));',
      `const { default: real } = await import(${JSON.stringify(pathToFileURL(join(ROOT, 'node_modules', 'string-width', 'index.js')).href)});`,
      'console.log(JSON.stringify({ ascii, before, after: segmenters, all, real: samples.map((s) => real(s)) }));',
    ].join('\n'));
    writeFileSync(join(dir, 'lazy-entry.mjs'), "export { default } from 'string-width';\n");
    await build({ entryPoints: [join(dir, 'lazy-entry.mjs')], outfile: join(dir, 'lazy.mjs'), bundle: true, format: 'esm', platform: 'node', nodePaths: [join(ROOT, 'node_modules')], plugins: [lazyStringWidth], logLevel: 'silent' });
    const result = JSON.parse(execFileSync(process.execPath, [join(dir, 'entry.mjs')], { encoding: 'utf8' })) as { ascii: number[]; before: number; after: number; all: number[]; real: number[] };
    expect(result.ascii).toEqual([0, 21, 29]);
    expect(result.before).toBe(0); // ASCII alone never loads it
    expect(result.after).toBeGreaterThan(0);
    expect(result.all).toEqual(result.real);
  });

  it("finds the package's files from any working directory", () => {
    const version = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
    expect(runBin(['--version'], { cwd: '/' }).stdout).toBe(`${version}\n`);
    const listed = runBin(['rules', 'list', '--format', 'json'], { cwd: '/' });
    expect(listed.exitCode).toBe(0);
    const ruleFiles = readdirSync(join(ROOT, 'rules')).filter((name) => name.endsWith('.yaml'));
    expect((JSON.parse(listed.stdout) as unknown[]).length).toBe(ruleFiles.length);
  });

  it('scans a tree big enough for worker threads, which load the rules themselves', () => {
    // Past the first 256 files a directory scan hands files to the worker pool.
    const files: Record<string, string> = {};
    for (let i = 0; i < 400; i++) files[`src/f${String(i).padStart(3, '0')}.js`] = `export const n${i} = ${i};\n`;
    files['src/f399.js'] = `// config\nconst settings = {\n  SEGMENT_WRITE_KEY: '${keys.writeKey}',\n};\n`;
    const result = runBin(['dir', tempDir(files), '--format', 'json'], { cwd: '/' });
    expect(result.exitCode).toBe(1);
    const report = JSON.parse(result.stdout) as { findings: Array<{ path: string; start: { line: number; column: number } }>; stats: { filesScanned: number } };
    expect(report.stats.filesScanned).toBe(400);
    expect(report.findings.map((f) => [f.path, f.start.line, f.start.column])).toEqual([['src/f399.js', 3, 23]]);
  });

  it("speaks English whatever the locale, bundled or not (yargs' own messages included)", async () => {
    const german = { LANG: 'de_DE.UTF-8', LC_ALL: 'de_DE.UTF-8' };
    const bin = runBin(['dir', '.', '--frobnicate'], { env: german });
    expect(bin.stderr).toMatch(/^segscan: error: unknown option --frobnicate/);
    expect(runBin(['--help'], { env: german }).stdout).toMatch(/^Commands:$[\s\S]*^Options:$/m);
    const saved = { LANG: process.env.LANG, LC_ALL: process.env.LC_ALL };
    Object.assign(process.env, german);
    try {
      expect((await runCli(['dir', '.', '--frobnicate'])).stderr).toMatch(/^segscan: error: unknown option --frobnicate/);
    } finally {
      for (const [name, value] of Object.entries(saved)) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
    }
  });
});

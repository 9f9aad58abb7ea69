import { describe, expect, it } from 'vitest';
import type { ItemScanner } from '../../src/pool/scanPool.js';
import { fakeCredentials } from '../../src/rules/templates.js';
import { scanSource } from '../../src/scan.js';
import { fileSource } from '../../src/sources/files.js';
import { createPathFilter } from '../../src/sources/pathFilter.js';
import { builtinEngine } from '../helpers/engine.js';
import { tempDir } from '../helpers/fixtureTree.js';

const keys = fakeCredentials('file-scan');

describe('a directory scan on the worker pool', () => {
  it('sends files in batches and reports what scanning them all on this thread reports', async () => {
    // Past the first 256 files (in walk order), files go to the pool 16 to a message, the last
    // batch short. Every file holds a key but an oversized one, wherever they fall; a binary one
    // holds it after a NUL byte, and is scanned like the rest.
    const files: Record<string, string | Buffer> = {};
    for (let i = 0; i < 300; i++) files[`src/f${String(i).padStart(3, '0')}.js`] = `export const n${i} = ${i};\nconst settings = { SEGMENT_WRITE_KEY: '${keys.writeKey}' };\n`;
    files['src/f280.js'] = `// segment ${'x'.repeat(3000)}\n`;
    files['src/f290.js'] = Buffer.concat([Buffer.from([0x73, 0x65, 0x67, 0, 1, 2, 0x0a]), Buffer.from(`const settings = { SEGMENT_WRITE_KEY: '${keys.writeKey}' };\n`)]);
    const root = tempDir(files);
    const engine = builtinEngine();
    const source = () => fileSource({ root, paths: [root], cwd: root, filter: createPathFilter({}), maxFileSize: 2000, followSymlinks: false });
    const context = { mode: 'dir' as const, root, version: 'test' };

    // The worker is the built one (npm test builds first): worker threads run JavaScript, not TypeScript.
    const { createScanPool } = (await import(new URL('../../dist/pool/scanPool.js', import.meta.url).href)) as typeof import('../../src/pool/scanPool.js');
    const batches: number[] = [];
    const pool = (): ItemScanner => {
      const real = createScanPool({ rules: {}, engine: {} }, 2000, 2);
      return { ...real, scanFiles: (tasks) => (batches.push(tasks.length), real.scanFiles(tasks)) };
    };
    const inline = await scanSource(source(), engine, context);
    const pooled = await scanSource(source(), engine, { ...context, pool });

    expect(batches).toEqual([16, 16, 12]); // files 256-299
    const byPlace = (f: { path: string; start: { line: number; column: number } }) => `${f.path}:${f.start.line}:${f.start.column}`;
    const keyed = Object.keys(files).filter((path) => path !== 'src/f280.js');
    expect(pooled.findings.map(byPlace).sort()).toEqual(keyed.map((path) => `${path}:2:40`).sort());
    expect(pooled.findings.map(byPlace).sort()).toEqual(inline.findings.map(byPlace).sort());
    const skips = (report: typeof inline) => report.skipped.map((s) => `${s.path}:${s.reason}`).sort();
    expect(skips(pooled)).toEqual(['src/f280.js:too-large']);
    expect(skips(pooled)).toEqual(skips(inline));
    expect([pooled.stats.filesScanned, pooled.stats.bytesScanned]).toEqual([inline.stats.filesScanned, inline.stats.bytesScanned]);
  });
});

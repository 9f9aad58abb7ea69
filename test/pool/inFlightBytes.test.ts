// The bytes a scan has sent to workers and not had answered are bounded (scan.ts:
// MAX_IN_FLIGHT_BYTES), not only their number of batches: 64 batches of built bundles held 160 MB.
import { describe, expect, it } from 'vitest';
import type { ContentTask, ItemScanner } from '../../src/pool/scanPool.js';
import type { ItemResult } from '../../src/pool/scanItem.js';
import { fakeCredentials } from '../../src/rules/templates.js';
import { scanSource } from '../../src/scan.js';
import type { Source, SourceItem } from '../../src/types.js';
import { builtinEngine } from '../helpers/engine.js';

const MIB = 1024 * 1024;
const { writeKey } = fakeCredentials('in-flight');

/** A history of `count` blobs of `size` bytes, each holding a key on its last line. */
function bundles(count: number, size: number): Source {
  return {
    async *items(): AsyncIterable<SourceItem> {
      for (let i = 0; i < count; i++) {
        const content = Buffer.alloc(size, 'x');
        content.write(`\nSEGMENT_WRITE_KEY=${writeKey}\n`, size - 60);
        yield { kind: 'content', content, origin: { path: `dist/${i}.js`, startLine: 1, blob: `b${i}` } };
      }
    },
  };
}

/** A pool that answers slowly, on this thread, and records the most bytes it held unanswered. */
function slowPool(engine: ReturnType<typeof builtinEngine>) {
  const seen = { held: 0, most: 0 };
  const pool: ItemScanner = {
    scanFiles: () => Promise.reject(new Error('no files here')),
    async detectBatch(tasks: readonly ContentTask[]): Promise<ItemResult[]> {
      const bytes = tasks.reduce((sum, t) => sum + t.content.byteLength, 0);
      seen.held += bytes;
      seen.most = Math.max(seen.most, seen.held);
      await new Promise((resolve) => setTimeout(resolve, 2));
      seen.held -= bytes;
      return tasks.map((t) => ({ outcome: 'scanned', bytes: t.content.byteLength, findings: engine.detectUtf8(t.origin, Buffer.from(t.content)) }));
    },
    workerCount: () => 1,
    close: async () => {},
  };
  return { pool, seen };
}

describe('bytes in flight', () => {
  it('stay bounded however many big blobs a history holds, and every blob is scanned', async () => {
    const engine = builtinEngine();
    const { pool, seen } = slowPool(engine);
    const report = await scanSource(bundles(40, 2 * MIB), engine, { mode: 'git', root: '/repo', version: 'test', dedupeHistory: true, pool: () => pool, inlineCandidateBytes: 0 });
    expect(report.findings.map((f) => [f.path, f.start.line])).toEqual(Array.from({ length: 40 }, (_, i) => [`dist/${i}.js`, 2]));
    // 16 MiB, plus the batch that crossed the bound.
    expect(seen.most).toBeLessThanOrEqual(16 * MIB + 2 * MIB);
    expect(seen.most).toBeGreaterThan(4 * MIB); // and the workers were kept busy, not fed one at a time
  });
});

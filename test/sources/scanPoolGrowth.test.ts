// A history scan's pool starts with a core left to git and starts one more worker only when every
// worker has a long queue (scanPool.ts: BACKLOG_PER_WORKER): a history of built bundles, where most
// blobs hold a keyword, gets both cores; a few busy moments do not start a worker.
import { describe, expect, it } from 'vitest';
import type { ContentTask } from '../../src/pool/scanPool.js';
import { fakeCredentials } from '../../src/rules/templates.js';

const { writeKey } = fakeCredentials('pool-growth');
const task = (i: number): ContentTask => ({ kind: 'content', content: Buffer.from(`SEGMENT_WRITE_KEY=${writeKey}\n`), origin: { path: `deploy/${i}.env`, startLine: 1 } });

describe('scan pool growth', () => {
  // The worker is the built one (npm test builds first): worker threads run JavaScript, not TypeScript.
  const load = async () => (await import(new URL('../../dist/pool/scanPool.js', import.meta.url).href)) as typeof import('../../src/pool/scanPool.js');

  it('starts a second worker when the first has a long queue, and every batch is answered', async () => {
    const { createScanPool } = await load();
    const pool = createScanPool({ rules: {}, engine: {} }, 1 << 20, 1, 2);
    try {
      expect(pool.workerCount()).toBe(1);
      const answers = await Promise.all(Array.from({ length: 40 }, (_, i) => pool.detectBatch([task(i)])));
      expect(pool.workerCount()).toBe(2);
      expect(answers.map((a) => (a[0]?.outcome === 'scanned' ? a[0].findings.map((f) => [f.path, f.secret === writeKey]) : a))).toEqual(Array.from({ length: 40 }, (_, i) => [[`deploy/${i}.env`, true]]));
    } finally {
      await pool.close();
    }
  });

  it('keeps one worker for a short queue, and never passes its maximum', async () => {
    const { createScanPool } = await load();
    const short = createScanPool({ rules: {}, engine: {} }, 1 << 20, 1, 2);
    const capped = createScanPool({ rules: {}, engine: {} }, 1 << 20, 1, 1);
    try {
      await Promise.all(Array.from({ length: 8 }, (_, i) => short.detectBatch([task(i)])));
      expect(short.workerCount()).toBe(1);
      await Promise.all(Array.from({ length: 100 }, (_, i) => capped.detectBatch([task(i)])));
      expect(capped.workerCount()).toBe(1);
    } finally {
      await Promise.all([short.close(), capped.close()]);
    }
  });

  it('starts a second worker when the first has many bytes queued, though few batches', async () => {
    const { createScanPool } = await load();
    const pool = createScanPool({ rules: {}, engine: {} }, 1 << 26, 1, 2);
    // Built bundles: a few big blobs, each in a batch of its own (scan.ts bounds the bytes in flight).
    const bundle = (i: number): ContentTask => ({ kind: 'content', content: Buffer.from(`${'x'.repeat(4 << 20)}\nSEGMENT_WRITE_KEY=${writeKey}\n`), origin: { path: `dist/${i}.js`, startLine: 1 } });
    try {
      const answers = await Promise.all(Array.from({ length: 5 }, (_, i) => pool.detectBatch([bundle(i)])));
      expect(pool.workerCount()).toBe(2);
      expect(answers.map((a) => (a[0]?.outcome === 'scanned' ? a[0].findings.map((f) => [f.path, f.start.line]) : a))).toEqual(Array.from({ length: 5 }, (_, i) => [[`dist/${i}.js`, 2]]));
    } finally {
      await pool.close();
    }
  });

  it('sends a big blob with memory of its own as it is, and packs small views together', async () => {
    const { createScanPool } = await load();
    const pool = createScanPool({ rules: {}, engine: {} }, 1 << 26, 1, 1);
    const big = Buffer.from(`${'// padding\n'.repeat(10_000)}const segmentWriteKey = "${writeKey}";\n`);
    const shared = Buffer.from(`SEGMENT_WRITE_KEY=${writeKey}\n# other\nSEGMENT_WRITE_KEY=${writeKey}\n`);
    const view = (start: number, end: number, path: string): ContentTask => ({ kind: 'content', content: shared.subarray(start, end), origin: { path, startLine: 1 } });
    const half = shared.indexOf('# other');
    try {
      const answers = await pool.detectBatch([view(0, half, 'a.env'), { kind: 'content', content: big, origin: { path: 'big.js', startLine: 1 } }, view(half, shared.length, 'b.env')]);
      expect(answers.map((a) => (a.outcome === 'scanned' ? a.findings.map((f) => [f.path, f.start.line, f.start.column]) : a))).toEqual([[['a.env', 1, 19]], [['big.js', 10_001, 26]], [['b.env', 2, 19]]]);
      expect(big.byteLength).toBe(0); // transferred, not copied
      expect(shared.byteLength).toBeGreaterThan(0); // the views were copied: the buffer they share stays here
    } finally {
      await pool.close();
    }
  });
});

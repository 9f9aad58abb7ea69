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
});

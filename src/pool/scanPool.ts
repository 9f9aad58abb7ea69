// Runs scanItem on worker threads, one per core, for big scans. Results come back as promises;
// the caller keeps a bounded queue of them, which is the back-pressure that keeps memory flat.
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { ItemResult, ItemTask } from './scanItem.js';
import type { WorkerSetup } from './scanWorker.js';

export interface ItemScanner {
  scan(task: ItemTask): Promise<ItemResult>;
  close(): Promise<void>;
}

interface Pending {
  resolve: (result: ItemResult) => void;
  reject: (error: Error) => void;
}

export function defaultWorkerCount(): number {
  return Math.max(1, Math.min(availableParallelism(), 8));
}

/**
 * A worker's old-generation heap: enough for the largest file it may read (its text can take two
 * bytes a character, plus the engine's working copies), and no more, so V8 collects early and
 * peak memory stays flat instead of growing with the tree.
 */
export function workerHeapMb(maxFileSize: number): number {
  return Math.max(96, Math.ceil((maxFileSize / (1024 * 1024)) * 6) + 32);
}

export function createScanPool(setup: WorkerSetup, maxFileSize: number, size = defaultWorkerCount()): ItemScanner {
  const workerUrl = new URL('./scanWorker.js', import.meta.url);
  const pending = new Map<number, Pending>();
  const load = new Map<Worker, number>();
  let nextId = 0;
  let failure: Error | undefined;

  const workers = Array.from({ length: size }, () => {
    // Small heap limits keep each worker (and the process's RSS) small; file buffers are reused,
    // so there is little garbage to collect.
    const resourceLimits = { maxYoungGenerationSizeMb: 4, maxOldGenerationSizeMb: workerHeapMb(maxFileSize) };
    const worker = new Worker(workerUrl, { workerData: setup, resourceLimits });
    load.set(worker, 0);
    worker.on('message', (message: { id: number; result?: ItemResult; error?: string }) => {
      load.set(worker, (load.get(worker) ?? 1) - 1);
      const entry = pending.get(message.id);
      pending.delete(message.id);
      if (!entry) return;
      if (message.result) entry.resolve(message.result);
      else entry.reject(new Error(message.error ?? 'scan worker failed'));
    });
    worker.on('error', (error) => {
      failure = error;
      for (const entry of pending.values()) entry.reject(error);
      pending.clear();
    });
    return worker;
  });

  return {
    scan(task) {
      if (failure) return Promise.reject(failure);
      const worker = workers.reduce((a, b) => ((load.get(a) ?? 0) <= (load.get(b) ?? 0) ? a : b));
      load.set(worker, (load.get(worker) ?? 0) + 1);
      const id = nextId++;
      return new Promise<ItemResult>((resolve, reject) => {
        pending.set(id, { resolve, reject });
        // Blob bytes move to the worker instead of being copied.
        const transfer = task.kind === 'content' && task.content.byteOffset === 0 && task.content.byteLength === task.content.buffer.byteLength
          ? [task.content.buffer as ArrayBuffer]
          : [];
        worker.postMessage({ id, task }, transfer);
      });
    },
    async close() {
      await Promise.all(workers.map((w) => w.terminate()));
    },
  };
}

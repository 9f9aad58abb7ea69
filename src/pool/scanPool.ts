// Runs scanItem on worker threads, one per core, for big scans. Results come back as promises;
// the caller keeps a bounded queue of them, which is the back-pressure that keeps memory flat.
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import type { Worker } from 'node:worker_threads';
import { packageFile } from '../packageFiles.js';
import type { CommitInfo, FragmentOrigin } from '../types.js';
import type { ItemResult, ItemTask } from './scanItem.js';
import { WHOLE_CONTENT_BYTES } from './windowedScan.js';
import type { WorkerSetup } from './scanWorker.js';

export interface ItemScanner {
  /**
   * Files, read and scanned on one worker, in one message each way: a message costs each side
   * ~10 µs, which one per file made a tenth of a tree scan's CPU.
   */
  scanFiles(tasks: readonly FileTask[]): Promise<ItemResult[]>;
  /**
   * Detection on many in-memory contents that already passed the keyword gate, in one message each
   * way: small contents are packed into one transferred buffer, a content with memory of its own
   * is transferred as it is (never copied again), and commits stay on this thread (the worker needs
   * only paths), so thousands of small blobs cost a few messages instead of thousands.
   */
  detectBatch(tasks: readonly ContentTask[]): Promise<ItemResult[]>;
  /** Workers started so far (a pool may start more when they fall behind). */
  workerCount(): number;
  close(): Promise<void>;
}

export type ContentTask = Extract<ItemTask, { kind: 'content' }>;
export type FileTask = Extract<ItemTask, { kind: 'file' }>;

interface Pending {
  resolve: (results: ItemResult[]) => void;
  reject: (error: Error) => void;
  /** Content bytes the request carried. */
  bytes: number;
}

/** One worker per core (at most 8), leaving `reservedCores` to other processes (git, for history scans). */
export function defaultWorkerCount(reservedCores = 0): number {
  return Math.max(1, Math.min(availableParallelism() - reservedCores, 8));
}

/**
 * A worker's old-generation heap: enough for the largest file it may read (its text can take two
 * bytes a character, plus the engine's working copies), and no more, so V8 collects early and
 * peak memory stays flat instead of growing with the tree.
 */
export function workerHeapMb(maxFileSize: number): number {
  // Bigger files are scanned in windows, so no worker ever holds more than this at once.
  const held = Math.min(maxFileSize, WHOLE_CONTENT_BYTES);
  return Math.max(96, Math.ceil((held / (1024 * 1024)) * 6) + 32);
}

/**
 * Batches queued on every worker before the pool starts one more (up to `maxSize`): a history
 * scan starts with a core left to git, and takes it when git keeps ahead and the workers fall
 * behind (built bundles, where most blobs hold a keyword), but not for a few busy moments. On 2
 * cores: analytics.js's history 5.7 -> 4.1 s, analytics-next's 2.7 -> 2.4 s; express (git-bound),
 * lodash and the benchmark's history unchanged (a lower bar, 3 or 12, cost express 10-20%).
 */
const BACKLOG_PER_WORKER = 32;
/**
 * Or content bytes queued on every worker: the caller bounds the bytes in flight (scan.ts), so
 * with large blobs (built bundles) the batch count alone would never reach its bar.
 */
const BACKLOG_BYTES_PER_WORKER = 12 * 1024 * 1024;

export function createScanPool(setup: WorkerSetup, maxFileSize: number, size = defaultWorkerCount(), maxSize = size): ItemScanner {
  // The built worker (a bundle of its own): also what tests running from src/ start.
  const workerScript = packageFile('dist', 'pool', 'scanWorker.js');
  // Loaded here, not with the module: staged and most history scans never start a pool, and
  // loading worker_threads took ~3 ms of their start.
  const { Worker } = createRequire(import.meta.url)('node:worker_threads') as typeof import('node:worker_threads');
  const pending = new Map<number, Pending>();
  const load = new Map<Worker, number>();
  const queuedBytes = new Map<Worker, number>();
  let nextId = 0;
  let failure: Error | undefined;

  const startWorker = (): Worker => {
    // Small heap limits keep each worker (and the process's RSS) small; file buffers are reused,
    // so there is little garbage to collect.
    const resourceLimits = { maxYoungGenerationSizeMb: 4, maxOldGenerationSizeMb: workerHeapMb(maxFileSize) };
    const worker = new Worker(workerScript, { workerData: setup, resourceLimits });
    load.set(worker, 0);
    worker.on('message', (message: WorkerAnswer) => {
      load.set(worker, (load.get(worker) ?? 1) - 1);
      const entry = pending.get(message.id);
      pending.delete(message.id);
      if (!entry) return;
      queuedBytes.set(worker, (queuedBytes.get(worker) ?? 0) - entry.bytes);
      if ('error' in message) entry.reject(new Error(message.error));
      else entry.resolve(message.result);
    });
    worker.on('error', (error) => {
      failure = error;
      for (const entry of pending.values()) entry.reject(error);
      pending.clear();
    });
    return worker;
  };
  const workers = Array.from({ length: Math.max(1, size) }, startWorker);

  const send = (message: Omit<WorkerRequest, 'id'>, transfer: ArrayBuffer[], bytes = 0): Promise<ItemResult[]> => {
    if (failure) return Promise.reject(failure);
    let worker = workers.reduce((a, b) => ((load.get(a) ?? 0) <= (load.get(b) ?? 0) ? a : b));
    const behind = (load.get(worker) ?? 0) >= BACKLOG_PER_WORKER || (queuedBytes.get(worker) ?? 0) >= BACKLOG_BYTES_PER_WORKER;
    if (workers.length < maxSize && behind) workers.push((worker = startWorker()));
    load.set(worker, (load.get(worker) ?? 0) + 1);
    queuedBytes.set(worker, (queuedBytes.get(worker) ?? 0) + bytes);
    const id = nextId++;
    return new Promise((resolve, reject) => {
      pending.set(id, { resolve, reject, bytes });
      worker.postMessage({ id, ...message }, transfer);
    });
  };

  return {
    scanFiles(tasks) {
      return send({ files: tasks }, []);
    },
    async detectBatch(tasks) {
      const batch = packBatch(tasks);
      const commits = tasks.map((task) => task.origin.commit); // not the tasks: their contents would stay alive
      const bytes = batch.parts.reduce((sum, part) => sum + part.byteLength, 0);
      const results = await send({ batch }, batch.parts.map((part) => part.buffer as ArrayBuffer), bytes);
      return results.map((result, i) => withCommit(result, commits[i]));
    },
    workerCount: () => workers.length,
    async close() {
      await Promise.all(workers.map((w) => w.terminate()));
    },
  };
}

/**
 * What crosses to a worker for a batch: the contents' bytes in parts (the first holds the small
 * contents back to back; each other part is one content's own memory), and where each one is.
 */
export interface PackedBatch {
  parts: Uint8Array[];
  entries: Array<{ part: number; start: number; end: number; origin: FragmentOrigin }>;
}

export type WorkerRequest = { id: number } & ({ files: readonly FileTask[] } | { batch: PackedBatch });
type WorkerAnswer = { id: number } & ({ result: ItemResult[] } | { error: string });

/** Contents this big that have memory of their own are sent as they are, not copied. */
const OWN_PART_BYTES = 64 * 1024;

/**
 * Does the content have its ArrayBuffer to itself (so transferring it moves nothing else, and
 * keeping it keeps nothing else alive)?
 */
export function ownsItsMemory(content: Uint8Array): boolean {
  return content.byteOffset === 0 && content.byteLength === content.buffer.byteLength && content.buffer instanceof ArrayBuffer;
}

function packBatch(tasks: readonly ContentTask[]): PackedBatch {
  const own = (content: Uint8Array) => content.byteLength >= OWN_PART_BYTES && ownsItsMemory(content);
  // Its own memory (never the shared pool: it is transferred), and not zeroed: every byte is set.
  const packed = Buffer.allocUnsafeSlow(tasks.reduce((sum, t) => sum + (own(t.content) ? 0 : t.content.byteLength), 0));
  const parts: Uint8Array[] = [packed];
  const entries: PackedBatch['entries'] = [];
  let at = 0;
  for (const { content, origin } of tasks) {
    // The commit stays here: it is the same for many blobs and only reports need it.
    const { commit: _commit, ...detectionOrigin } = origin;
    if (own(content)) {
      entries.push({ part: parts.length, start: 0, end: content.byteLength, origin: detectionOrigin });
      parts.push(content);
      continue;
    }
    packed.set(content, at);
    entries.push({ part: 0, start: at, end: at + content.byteLength, origin: detectionOrigin });
    at += content.byteLength;
  }
  return { parts, entries };
}

function withCommit(result: ItemResult, commit: CommitInfo | undefined): ItemResult {
  if (!commit) return result;
  if (result.outcome === 'skipped') result.item.commit = commit.sha;
  else for (const finding of result.findings) finding.commit = commit;
  return result;
}

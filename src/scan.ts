// Orchestration: a source's items through the engine (inline or on the worker pool) into a
// report. Verification, baselines and filters are steps on the findings, applied by the caller
// (src/commands/scanCommand.ts).
import type { Engine } from './engine/detect.js';
import type { ContentTask, FileTask, ItemScanner } from './pool/scanPool.js';
import { detectContent, scanItem, settleWithoutEngine, type ItemResult, type ItemTask } from './pool/scanItem.js';
import { WindowedScanner } from './pool/windowedScan.js';
import type { Finding, FragmentOrigin, RuleInfo, ScanMode, ScanReport, SkippedItem, Source, SourceItem } from './types.js';

export interface ScanContext {
  mode: ScanMode;
  root: string;
  version: string;
  repository?: ScanReport['repository'];
  /**
   * History scans see the same secret in many blobs; only its first (rule, secret, path) in
   * introduction order is reported, with every occurrence in that first blob.
   */
  dedupeHistory?: boolean;
  signal?: AbortSignal;
  /** Starts a worker pool for big scans; without it everything is scanned on this thread. */
  pool?: () => ItemScanner;
  /** Bytes of in-memory content past the keyword gate scanned on this thread before the pool takes over (tests lower it). */
  inlineCandidateBytes?: number;
  onProgress?: (progress: { files: number; bytes: number }) => void;
  now?: () => number;
  /** Stop (the report marked incomplete) past this many bytes read or milliseconds spent. */
  budget?: ScanBudget;
}

/**
 * The work a scan may do. Read when checked, so a source can set its default as it learns it
 * (a history's budget depends on the size of its object store).
 */
export interface ScanBudget {
  bytes?: number;
  milliseconds?: number;
  /** How the report names the limit that was hit (`--max-scan-bytes 1GiB`). */
  describe: (limit: 'bytes' | 'time') => string;
}

/** Findings reported per file or blob; past this a warning says how many more there were. */
export const MAX_FINDINGS_PER_FILE = 1000;

/** Files scanned on the main thread before a worker pool is worth its start-up cost. */
const INLINE_ITEMS = 256;
/**
 * In-memory content (git blobs) that passes the keyword gate, scanned on the main thread before
 * the pool takes over. Most blobs of a history are settled by the gate, which is cheaper here than
 * a trip to a worker; only histories where many blobs mention Segment keep workers busy.
 */
const INLINE_CANDIDATE_BYTES = 8 * 1024 * 1024;
/** Blob bytes per batch sent to a worker: big enough to make messages rare, small enough to keep workers busy. */
const BATCH_BYTES = 512 * 1024;
const BATCH_ITEMS = 1024;
/**
 * Files per message to a worker. On the benchmark's tree (24,881 files), 16 cut the messages from
 * one per file to ~1,500 each way; a batch is small enough that the workers stay evenly loaded.
 */
const FILE_BATCH_ITEMS = 16;
/** Results waiting to be collected; bounds memory when the source is faster than the scan. */
const MAX_IN_FLIGHT = 64;
/**
 * Content bytes sent to workers and not yet answered: a batch waits in its worker's queue with its
 * bytes, so a count alone let 64 batches of built bundles hold 160 MB (analytics.js's history).
 */
const MAX_IN_FLIGHT_BYTES = 16 * 1024 * 1024;

/** Scans under way, each for one file or a batch of blobs, with the origins of its results. */
interface InFlight {
  origins: FragmentOrigin[];
  /** Content bytes it carries to a worker. */
  bytes: number;
  results: Promise<ItemResult[]>;
  settled: boolean;
}

export async function scanSource(source: Source, engine: Engine, context: ScanContext): Promise<ScanReport> {
  const now = context.now ?? Date.now;
  const started = now();
  const findings: Finding[] = [];
  const skipped: SkippedItem[] = [];
  const warnings: string[] = [];
  const firstBlob = new Map<string, string>();
  const queue: InFlight[] = [];
  let wake: (() => void) | undefined;
  let inFlightBytes = 0;
  const enqueue = (origins: FragmentOrigin[], results: Promise<ItemResult[]>, bytes = 0) => {
    const entry: InFlight = { origins, bytes, results, settled: false };
    inFlightBytes += bytes;
    const settle = () => {
      entry.settled = true;
      wake?.();
    };
    results.then(settle, settle);
    queue.push(entry);
  };
  const inlineCandidateBytes = context.inlineCandidateBytes ?? INLINE_CANDIDATE_BYTES;
  let pool: ItemScanner | undefined;
  /** Blobs for the pool's next batch, and results settled meanwhile: their places in source order. */
  let batch: Array<{ origin: FragmentOrigin; task?: ContentTask; result?: ItemResult }> = [];
  let batchBytes = 0;
  /** Files for the pool's next message. */
  let fileBatch: FileTask[] = [];
  let submitted = 0;
  let candidateBytes = 0;
  let files = 0;
  let bytes = 0;

  const count = (scannedFiles: number, scannedBytes: number) => {
    files += scannedFiles;
    bytes += scannedBytes;
    context.onProgress?.({ files, bytes });
  };
  const collect = (origin: FragmentOrigin, result: ItemResult) => {
    if (result.outcome === 'skipped') {
      skipped.push(result.item);
      return;
    }
    if (result.findings.length > 0) {
      let found = result.findings;
      if (found.length > MAX_FINDINGS_PER_FILE) {
        warnings.push(`${origin.path}: more than ${MAX_FINDINGS_PER_FILE} findings; the first ${MAX_FINDINGS_PER_FILE} are reported (a file this full of keys was likely generated: check it by hand)`);
        found = found.slice(0, MAX_FINDINGS_PER_FILE);
      }
      findings.push(...(context.dedupeHistory ? keepFirstIntroduction(found, origin.blob ?? origin.path, firstBlob) : found));
    }
    count(1, result.bytes);
  };
  const flushBatch = () => {
    if (batch.length === 0) return;
    const entries = batch;
    const sent = batchBytes;
    batch = [];
    batchBytes = 0;
    pool ??= context.pool!();
    const detected = pool.detectBatch(entries.flatMap((entry) => (entry.task ? [entry.task] : [])));
    // The batch is packed and sent: keep only what places the results, not the contents (which
    // would otherwise stay in memory here until the worker answers).
    const settledHere = entries.map((entry) => entry.result);
    enqueue(entries.map((entry) => entry.origin), detected.then((results) => {
      let next = 0;
      return settledHere.map((result) => result ?? results[next++]!);
    }), sent);
  };
  const flushFiles = () => {
    if (fileBatch.length === 0) return;
    const tasks = fileBatch;
    fileBatch = [];
    pool ??= context.pool!();
    enqueue(tasks.map((task) => task.origin), pool.scanFiles(tasks));
  };
  // History de-duplication needs results in introduction order; otherwise any finished result is
  // taken first, so one large file on one worker does not hold back the other workers' results.
  const ordered = context.dedupeHistory === true;
  const drainTo = async (limit: number) => {
    flushBatch(); // never wait on, or end before, a batch that was not sent
    flushFiles();
    while (queue.length > limit || (inFlightBytes > MAX_IN_FLIGHT_BYTES && queue.length > 0)) {
      const index = ordered ? 0 : queue.findIndex((q) => q.settled);
      if (index === -1) {
        await new Promise<void>((resolve) => (wake = resolve));
        wake = undefined;
        continue;
      }
      const [next] = queue.splice(index, 1) as [InFlight];
      inFlightBytes -= next.bytes;
      const results = await next.results;
      results.forEach((result, i) => collect(next.origins[i]!, result));
    }
  };
  /** A result ready now: collected at once unless earlier items are still under way. */
  const ready = (origin: FragmentOrigin, result: ItemResult) => {
    if (batch.length > 0) {
      batch.push({ origin, result }); // keeps its place without sending the batch early
      if (batch.length >= BATCH_ITEMS) flushBatch();
    } else if (queue.length === 0) collect(origin, result);
    else enqueue([origin], Promise.resolve([result]));
  };
  /** Scan an item here, or hand it to the pool: files one by one, blobs past the gate in batches. */
  const submit = (item: ItemTask) => {
    if (!context.pool) return ready(item.origin, scanItem(engine, item));
    if (item.kind === 'file') {
      if (submitted++ < INLINE_ITEMS) return ready(item.origin, scanItem(engine, item));
      flushBatch();
      fileBatch.push(item);
      if (fileBatch.length >= FILE_BATCH_ITEMS) flushFiles();
      return;
    }
    const settled = settleWithoutEngine(engine, item.content);
    if (settled) return ready(item.origin, settled);
    candidateBytes += item.content.byteLength;
    if (candidateBytes <= inlineCandidateBytes) return ready(item.origin, detectContent(engine, item.content, item.origin));
    batch.push({ origin: item.origin, task: item });
    batchBytes += item.content.byteLength;
    if (batchBytes >= BATCH_BYTES || batch.length >= BATCH_ITEMS) flushBatch();
  };

  let overBudget: string | undefined;
  const budgetSpent = (): string | undefined => {
    const budget = context.budget;
    if (!budget) return undefined;
    if (budget.bytes !== undefined && bytes > budget.bytes) return budget.describe('bytes');
    if (budget.milliseconds !== undefined && now() - started > budget.milliseconds) return budget.describe('time');
    return undefined;
  };
  try {
    for await (const item of source.items(context.signal)) {
      if (item.kind === 'skipped') skipped.push(item.item);
      else if (item.kind === 'warning') warnings.push(item.message);
      else if (item.kind === 'clean') count(item.files, item.bytes); // nothing to report, so no place to keep
      else if (item.kind === 'stream') {
        // Read and scanned here, in windows, in its place in the source's order.
        flushBatch();
        flushFiles();
        enqueue([item.origin], scanStream(engine, item, context.signal).then((result) => [result]));
        if (queue.length > MAX_IN_FLIGHT) await drainTo(MAX_IN_FLIGHT);
      } else if (item.kind === 'fragment') {
        await drainTo(0); // keep introduction order for history de-duplication
        collect(item.fragment, { outcome: 'scanned', bytes: item.bytes, findings: engine.detect(item.fragment) });
      } else {
        submit(item);
        if (queue.length > MAX_IN_FLIGHT || inFlightBytes > MAX_IN_FLIGHT_BYTES) await drainTo(MAX_IN_FLIGHT);
      }
      if (context.signal?.aborted) break;
      if ((overBudget = budgetSpent()) !== undefined) break;
    }
    await drainTo(0);
  } catch (error) {
    // Content read before the failure or interruption still counts: collect the scans under way.
    await drainTo(0).catch(() => undefined);
    if (!context.signal?.aborted) throw new ScanAbortedError(error, { findings, skipped, warnings, filesScanned: files, bytesScanned: bytes });
  } finally {
    await pool?.close();
  }
  const report: ScanReport = {
    tool: { name: 'segscan', version: context.version },
    mode: context.mode,
    root: context.root,
    findings,
    rules: rulesUsed(engine, findings),
    skipped,
    warnings,
    stats: { filesScanned: files, bytesScanned: bytes, skipped: skipped.length, durationMs: now() - started },
    incomplete: context.signal?.aborted === true || overBudget !== undefined,
  };
  if (report.incomplete) report.incompleteReason = overBudget ?? 'interrupted';
  if (context.repository) report.repository = context.repository;
  return report;
}


/** Content too big to hold whole: its chunks through a windowed scanner; a failed read is a skip. */
async function scanStream(engine: Engine, item: Extract<SourceItem, { kind: 'stream' }>, signal: AbortSignal | undefined): Promise<ItemResult> {
  const scanner = new WindowedScanner(engine, item.origin);
  try {
    for await (const chunk of item.chunks(signal)) scanner.push(chunk);
  } catch (error) {
    if (signal?.aborted) throw error;
    const reason = error instanceof Error ? error.message : String(error);
    return { outcome: 'skipped', item: { path: item.origin.path, reason: 'unreadable', detail: reason, size: item.size, ...(item.origin.commit ? { commit: item.origin.commit.sha } : {}) } };
  }
  return { outcome: 'scanned', ...scanner.end() };
}

function keepFirstIntroduction(found: Finding[], blob: string, firstBlob: Map<string, string>): Finding[] {
  return found.filter((f) => {
    const key = `${f.ruleId}\0${f.secretHash}\0${f.path}`;
    const owner = firstBlob.get(key);
    if (owner === undefined) firstBlob.set(key, blob);
    return owner === undefined || owner === blob;
  });
}

export function rulesUsed(engine: Engine, findings: readonly Finding[]): RuleInfo[] {
  const ids = new Set(findings.map((f) => f.ruleId));
  return engine.rules.filter((r) => ids.has(r.info.id)).map((r) => r.info);
}

/** Findings gathered before a fatal error, so the CLI can still write them. */
export interface PartialResults {
  findings: Finding[];
  skipped: SkippedItem[];
  warnings: string[];
  filesScanned: number;
  bytesScanned: number;
}

/** A fatal error part way through a scan, carrying what was found before it. */
export class ScanAbortedError extends Error {
  constructor(readonly failure: unknown, readonly partial: PartialResults) {
    super(failure instanceof Error ? failure.message : String(failure));
  }
}


// Orchestration: a source's fragments through the engine into a report. Verification,
// baselines and filters are steps on the findings, applied by the caller in cli.ts.
import type { Engine } from './engine/detect.js';
import type { ItemScanner } from './pool/scanPool.js';
import { scanItem, type ItemResult, type ItemTask } from './pool/scanItem.js';
import { sniffEncoding } from './engine/text.js';
import type { Finding, FragmentOrigin, RuleInfo, ScanMode, ScanReport, SkippedItem, Source } from './types.js';

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
  onProgress?: (progress: { files: number; bytes: number }) => void;
  now?: () => number;
}

/** Items scanned on the main thread before a worker pool is worth its start-up cost. */
const INLINE_ITEMS = 256;
/** Results waiting to be collected; bounds memory when the source is faster than the scan. */
const MAX_IN_FLIGHT = 64;

export async function scanSource(source: Source, engine: Engine, context: ScanContext): Promise<ScanReport> {
  const now = context.now ?? Date.now;
  const started = now();
  const findings: Finding[] = [];
  const skipped: SkippedItem[] = [];
  const warnings: string[] = [];
  const firstBlob = new Map<string, string>();
  const queue: Array<{ origin: FragmentOrigin; result: Promise<ItemResult> }> = [];
  const inline: ItemScanner = { scan: (task) => Promise.resolve(scanItem(engine, task)), close: async () => undefined };
  let pool: ItemScanner | undefined;
  let submitted = 0;
  let files = 0;
  let bytes = 0;

  const collect = (origin: FragmentOrigin, result: ItemResult) => {
    if (result.outcome === 'skipped') {
      skipped.push(result.item);
      return;
    }
    files++;
    bytes += result.bytes;
    if (result.findings.length > 0) {
      findings.push(...(context.dedupeHistory ? keepFirstIntroduction(result.findings, origin.blob ?? origin.path, firstBlob) : result.findings));
    }
    context.onProgress?.({ files, bytes });
  };
  const drainTo = async (limit: number) => {
    while (queue.length > limit) {
      const head = queue.shift() as (typeof queue)[number];
      collect(head.origin, await head.result);
    }
  };
  const scannerFor = (item: ItemTask): ItemScanner => {
    if (!context.pool || submitted++ < INLINE_ITEMS) return inline;
    // Content already in memory (git blobs) that is binary or has no keyword costs less to
    // settle here than to send to a worker; only candidates cross to the pool.
    if (item.kind === 'content' && !worthAWorker(item.content, engine)) return inline;
    pool ??= context.pool();
    return pool;
  };

  try {
    for await (const item of source.items(context.signal)) {
      if (item.kind === 'skipped') skipped.push(item.item);
      else if (item.kind === 'warning') warnings.push(item.message);
      else if (item.kind === 'fragment') {
        await drainTo(0); // keep introduction order for history de-duplication
        collect(item.fragment, { outcome: 'scanned', bytes: item.bytes, findings: engine.detect(item.fragment) });
      } else {
        queue.push({ origin: item.origin, result: scannerFor(item).scan(item) });
        await drainTo(MAX_IN_FLIGHT);
      }
      if (context.signal?.aborted) break;
    }
    await drainTo(0);
  } catch (error) {
    // Content read before the failure or interruption still counts: collect the scans under way.
    await drainTo(0).catch(() => undefined);
    if (!context.signal?.aborted) throw new ScanAbortedError(error, { findings, skipped, warnings });
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
    incomplete: context.signal?.aborted === true,
  };
  if (report.incomplete) report.incompleteReason = 'interrupted';
  if (context.repository) report.repository = context.repository;
  return report;
}

function worthAWorker(content: Uint8Array, engine: Engine): boolean {
  const encoding = sniffEncoding(content);
  return encoding !== 'binary' && (encoding !== 'utf-8' || engine.mayContainSecrets(content));
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
}

/** A fatal error part way through a scan, carrying what was found before it. */
export class ScanAbortedError extends Error {
  constructor(readonly failure: unknown, readonly partial: PartialResults) {
    super(failure instanceof Error ? failure.message : String(failure));
  }
}


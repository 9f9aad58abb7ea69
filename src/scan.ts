// Orchestration: a source's fragments through the engine into a report. Verification,
// baselines and filters are steps on the findings, applied by the caller in cli.ts.
import type { Engine } from './engine/detect.js';
import type { Finding, RuleInfo, ScanMode, ScanReport, SkippedItem, Source } from './types.js';

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
  onProgress?: (progress: { files: number; bytes: number }) => void;
  now?: () => number;
}

export async function scanSource(source: Source, engine: Engine, context: ScanContext): Promise<ScanReport> {
  const now = context.now ?? Date.now;
  const started = now();
  const findings: Finding[] = [];
  const skipped: SkippedItem[] = [];
  const warnings: string[] = [];
  const firstBlob = new Map<string, string>();
  let files = 0;
  let bytes = 0;
  let incomplete = false;
  let incompleteReason: string | undefined;
  try {
    for await (const item of source.items(context.signal)) {
      if (item.kind === 'skipped') skipped.push(item.item);
      else if (item.kind === 'warning') warnings.push(item.message);
      else {
        files++;
        bytes += item.bytes;
        const found = engine.detect(item.fragment);
        findings.push(...(context.dedupeHistory ? keepFirstIntroduction(found, item.fragment.blob ?? item.fragment.path, firstBlob) : found));
        context.onProgress?.({ files, bytes });
      }
      if (context.signal?.aborted) break;
    }
  } catch (error) {
    if (!context.signal?.aborted) throw attachPartial(error, { findings, skipped, warnings });
  }
  if (context.signal?.aborted) {
    incomplete = true;
    incompleteReason = 'interrupted';
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
    incomplete,
  };
  if (incompleteReason) report.incompleteReason = incompleteReason;
  if (context.repository) report.repository = context.repository;
  return report;
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

function attachPartial(error: unknown, partial: PartialResults): unknown {
  return new ScanAbortedError(error, partial);
}

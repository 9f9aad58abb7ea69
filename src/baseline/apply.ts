// Comparing a scan's findings with a baseline: what is new, and which entries match nothing.
import type { Finding } from '../types.js';
import { entryFingerprint, type Baseline, type BaselineEntry } from './format.js';

export interface BaselineComparison {
  /** Findings not in the baseline: the ones to report. */
  fresh: Finding[];
  /** Findings the baseline accepted. */
  accepted: Finding[];
  /** Entries no finding matched (meaningful only when the scan covered everything). */
  stale: BaselineEntry[];
}

export function compareWithBaseline(findings: readonly Finding[], baseline: Baseline): BaselineComparison {
  const entries = new Map(baseline.entries.map((e) => [entryFingerprint(e), e] as const));
  const matched = new Set<string>();
  const fresh: Finding[] = [];
  const accepted: Finding[] = [];
  for (const f of findings) {
    if (entries.has(f.fingerprint)) {
      matched.add(f.fingerprint);
      accepted.push(f);
    } else fresh.push(f);
  }
  const stale = [...entries].filter(([fp]) => !matched.has(fp)).map(([, e]) => e);
  return { fresh, accepted, stale };
}

/** How a stale entry is listed in reports: greppable by path, with the finding fingerprint. */
export function describeStaleEntry(entry: BaselineEntry): string {
  return `${entry.path}: ${entry.ruleId} (fingerprint ${entryFingerprint(entry)})`;
}

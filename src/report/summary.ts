// The human summary shared by the text and GitHub formats: counts by severity, scan size, time,
// and which skipped files deserve to be named (the ones a user can act on).

import type { Finding, Narrowing, ScanReport, Severity, SkippedItem, SkipReason } from '../types.js';
import type { RuleCatalog } from './ruleCatalog.js';
import { SEVERITIES, findingSeverity } from './severity.js';

/** Skips a user can act on (raise a limit, fix permissions, include a directory), so each is named. */
const LISTED_SKIP_REASONS: ReadonlySet<SkipReason> = new Set(['too-large', 'unreadable', 'not-regular-file', 'excluded']);

export function partitionSkipped(skipped: readonly SkippedItem[]): {
  listed: SkippedItem[];
  counted: Array<[SkipReason, number]>;
} {
  const listed: SkippedItem[] = [];
  const counts = new Map<SkipReason, number>();
  for (const item of skipped) {
    if (LISTED_SKIP_REASONS.has(item.reason)) listed.push(item);
    else counts.set(item.reason, (counts.get(item.reason) ?? 0) + 1);
  }
  const counted = [...counts].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return { listed, counted };
}

/** "too-large (38 MB)", "unreadable (EACCES: permission denied)" — the why, never file content. */
export function skipDescription(item: SkippedItem, scrub: (text: string) => string): string {
  const why = item.detail ? scrub(item.detail) : item.size !== undefined ? formatBytes(item.size) : '';
  return `${item.reason}${why ? ` (${why})` : ''}`;
}

export function plural(n: number, singular: string, pluralForm = `${singular}s`): string {
  return `${n} ${n === 1 ? singular : pluralForm}`;
}

export function formatBytes(bytes: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  if (unit === 0) return `${bytes} B`;
  return `${value < 10 ? value.toFixed(1) : Math.round(value)} ${units[unit]}`;
}

export function formatDuration(ms: number): string {
  if (ms < 10_000) return `${(ms / 1000).toFixed(2)} s`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const minutes = Math.floor(ms / 60_000);
  return `${minutes} min ${Math.round((ms - minutes * 60_000) / 1000)} s`;
}

export function severityCounts(findings: readonly Finding[], rules: RuleCatalog): Array<[Severity, number]> {
  const counts = new Map<Severity, number>();
  for (const f of findings) {
    const severity = findingSeverity(f, rules(f.ruleId));
    counts.set(severity, (counts.get(severity) ?? 0) + 1);
  }
  return SEVERITIES.filter((s) => counts.has(s)).map((s) => [s, counts.get(s) ?? 0]);
}

const ORIGIN_WORDS: Record<Narrowing['origin'], string> = { 'scanned-tree': 'the scanned tree', invoker: 'the invoker', default: 'default' };

/** `exclude fixtures/** (.segscan.yaml of the scanned tree): 12 paths not scanned` */
export function describeNarrowing(n: Narrowing): string {
  const where = n.origin === 'default' ? 'default' : n.origin === 'invoker' ? n.source : `${n.source} of ${ORIGIN_WORDS[n.origin]}`;
  const what = n.count === undefined ? '' : n.setting === 'include' ? `: ${plural(n.count, 'path')} not included` : `: ${plural(n.count, 'path')} not scanned`;
  return `${n.setting} ${n.value} (${where})${what}`;
}

/** "in 120 files (1.2 MB) from 45 commits in 0.35 s; 2 suppressed; 4 skipped" */
function scopeText(report: ScanReport): string {
  const { stats } = report;
  let text = `in ${plural(stats.filesScanned, 'file')} (${formatBytes(stats.bytesScanned)})`;
  if (stats.commitsScanned !== undefined) text += ` from ${plural(stats.commitsScanned, 'commit')}`;
  text += ` in ${formatDuration(stats.durationMs)}`;
  const suppressed = report.suppressed?.length ?? 0;
  if (suppressed > 0) text += `; ${suppressed} suppressed`;
  if (stats.skipped > 0) text += `; ${stats.skipped} skipped`;
  return text;
}

/** One line: "3 findings (1 critical, 2 medium) in …" or "No Segment credentials found in …". */
export function summaryLine(report: ScanReport, rules: RuleCatalog): string {
  const scope = scopeText(report);
  const suffix = report.incomplete ? ' (scan incomplete)' : '';
  if (report.findings.length === 0) return `No Segment credentials found ${scope}${suffix}`;
  const bySeverity = severityCounts(report.findings, rules)
    .map(([severity, n]) => `${n} ${severity}`)
    .join(', ');
  return `${plural(report.findings.length, 'finding')} (${bySeverity}) ${scope}${suffix}`;
}

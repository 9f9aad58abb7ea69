// SARIF 2.1.0 for GitHub code scanning. The log carries only the rules that fired, one result
// per finding (redacted), run-level context (where %SRCROOT% is, which repository and revision),
// and notifications for everything that was not scanned. It keeps to GitHub's upload limits:
// at most 5,000 results per run and 10 MB gzipped.

import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import type { Finding, ReportOptions, ScanReport } from '../types.js';
import { sortFindings } from './findingOrder.js';
import { sentence } from './prose.js';
import { remoteUri } from '../remoteUrl.js';
import { ruleCatalog } from './ruleCatalog.js';
import type { SarifLog, SarifNotification, SarifRun } from './sarifLog.js';
import { SRCROOT, artifactUri, locationHashes, sarifResult, selectResults } from './sarifResults.js';
import { sarifRule } from './sarifRules.js';
import { type Scrubber, secretScrubber } from './secretDisplay.js';
import { describeNarrowing, formatBytes, partitionSkipped, skipDescription } from './summary.js';
import { escapeJsonText } from './escape.js';

export const SARIF_SCHEMA_URI = 'https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json';
export const SEGSCAN_INFORMATION_URI = 'https://github.com/segscan/segscan';

export interface SarifLimits {
  /** GitHub code scanning ignores results beyond 5,000 per run (ranked by severity on its side). */
  maxResults: number;
  /** GitHub rejects uploads above 10 MB gzip-compressed. */
  maxGzipBytes: number;
}
export const GITHUB_SARIF_LIMITS: SarifLimits = { maxResults: 5000, maxGzipBytes: 10 * 1024 * 1024 };

/** Warnings and named skips beyond this many are summarised in one notification. */
const MAX_NOTIFICATIONS_PER_KIND = 100;

type DropReason = 'count' | 'size';

function directoryUri(path: string): string {
  const href = pathToFileURL(path).href;
  return href.endsWith('/') ? href : `${href}/`;
}

function note(level: SarifNotification['level'], id: string, text: string, path?: string): SarifNotification {
  return {
    level,
    message: { text: sentence(text) },
    descriptor: { id },
    ...(path !== undefined ? { locations: [{ physicalLocation: { artifactLocation: { uri: artifactUri(path), uriBaseId: SRCROOT } } }] } : {}),
  };
}

function capped(items: SarifNotification[], id: string, what: string): SarifNotification[] {
  if (items.length <= MAX_NOTIFICATIONS_PER_KIND) return items;
  const rest = items.length - MAX_NOTIFICATIONS_PER_KIND;
  return [...items.slice(0, MAX_NOTIFICATIONS_PER_KIND), note('warning', id, `${rest} more ${what} not listed; see --format json`)];
}

function droppedNotice(dropped: number, total: number, limits: SarifLimits, reason: DropReason): SarifNotification {
  const why =
    reason === 'count'
      ? `GitHub code scanning's limit of ${limits.maxResults} results per run`
      : `GitHub code scanning's limit of ${formatBytes(limits.maxGzipBytes)} per gzipped upload`;
  return note(
    'warning',
    'segscan/results-truncated',
    `${dropped} of ${total} findings were left out of this SARIF file to stay within ${why}; the most severe and most confident were kept. Run with --format json to see every finding`,
  );
}

function notifications(report: ScanReport, scrub: Scrubber, dropped: SarifNotification[]): SarifNotification[] {
  const out: SarifNotification[] = [];
  if (report.incomplete) {
    out.push(note('error', 'segscan/incomplete', `Scan incomplete${report.incompleteReason ? `: ${scrub(report.incompleteReason)}` : ''}. Some content was not scanned`));
  }
  out.push(...dropped);
  out.push(...capped(report.warnings.map((w) => note('warning', 'segscan/warning', scrub(w))), 'segscan/warning', 'warnings'));
  const { listed, counted } = partitionSkipped(report.skipped);
  const named = listed.map((item) => {
    const where = item.commit ? ` in commit ${item.commit.slice(0, 7)}` : '';
    return note('warning', `segscan/skipped/${item.reason}`, `Not scanned: ${item.path}${where}: ${skipDescription(item, scrub)}`, item.path);
  });
  out.push(...capped(named, 'segscan/skipped', 'skipped files'));
  for (const [reason, n] of counted) out.push(note('note', `segscan/skipped/${reason}`, `${n} file${n === 1 ? '' : 's'} not scanned: ${reason}`));
  out.push(...(report.narrowing ?? []).map((n) => note(n.origin === 'scanned-tree' ? 'warning' : 'note', 'segscan/narrowing', scrub(describeNarrowing(n)))));
  const suppressed = report.suppressed?.length ?? 0;
  if (suppressed > 0) out.push(note('note', 'segscan/suppressed', `${suppressed} finding${suppressed === 1 ? ' is' : 's are'} suppressed (results with suppressions); they do not fail the scan`));
  const stale = report.staleBaseline?.length ?? 0;
  if (stale > 0) out.push(note('note', 'segscan/stale-baseline', `${stale} baseline entr${stale === 1 ? 'y matches' : 'ies match'} nothing in this scan and can be removed`));
  return out;
}

function provenance(report: ScanReport): SarifRun['versionControlProvenance'] {
  const repo = report.repository;
  if (!repo) return undefined;
  const remote = repo.remoteUrl !== undefined ? remoteUri(repo.remoteUrl) : undefined;
  return [
    {
      // SARIF requires repositoryUri; without a usable remote the local clone is the repository.
      repositoryUri: remote ?? directoryUri(repo.root),
      ...(repo.head !== undefined ? { revisionId: repo.head } : {}),
      ...(repo.branch !== undefined ? { branch: repo.branch } : {}),
      ...(directoryUri(repo.root) === directoryUri(report.root) ? { mappedTo: { uriBaseId: SRCROOT } } : {}),
    },
  ];
}

/** The SARIF log as an object, keeping at most `maxResults` results. */
export function buildSarifLog(
  report: ScanReport,
  options: ReportOptions,
  limits: SarifLimits = GITHUB_SARIF_LIMITS,
  maxResults: number = limits.maxResults,
  dropReason: DropReason = 'count',
): SarifLog {
  const rules = ruleCatalog(report);
  const scrub = secretScrubber(report, options);
  // Suppressed findings stay results, marked with `suppressions`, after the ones that count.
  const sorted = [...sortFindings(report.findings), ...sortFindings(report.suppressed ?? [])];
  const lineHashes = locationHashes(sorted);
  const kept = selectResults(sorted, rules, maxResults);
  const firedIds = [...new Set(kept.map((i) => (sorted[i] as Finding).ruleId))].sort();
  const ruleIndex = new Map(firedIds.map((id, i) => [id, i] as const));
  const results = kept.map((i) => {
    const f = sorted[i] as Finding;
    return sarifResult(f, rules(f.ruleId), ruleIndex.get(f.ruleId) ?? -1, lineHashes[i] ?? '', options, scrub);
  });
  const dropped = sorted.length - kept.length;
  const droppedNotices = dropped > 0 ? [droppedNotice(dropped, sorted.length, limits, dropReason)] : [];
  const vcp = provenance(report);
  const run: SarifRun = {
    tool: {
      driver: {
        name: 'segscan',
        version: report.tool.version,
        semanticVersion: report.tool.version,
        informationUri: SEGSCAN_INFORMATION_URI,
        rules: firedIds.map((id) => sarifRule(rules(id))),
      },
    },
    automationDetails: { id: `segscan/${report.mode}/` },
    originalUriBaseIds: { [SRCROOT]: { uri: directoryUri(report.root) } },
    ...(vcp ? { versionControlProvenance: vcp } : {}),
    invocations: [{ executionSuccessful: !report.incomplete, toolExecutionNotifications: notifications(report, scrub, droppedNotices) }],
    columnKind: 'utf16CodeUnits',
    results,
  };
  return { $schema: SARIF_SCHEMA_URI, version: '2.1.0', runs: [run] };
}

function serialise(log: SarifLog): string {
  return escapeJsonText(`${JSON.stringify(log, null, 2)}\n`);
}

/** Gzip overhead on incompressible text is a few bytes per 16 KB block; 64 KB covers 10 MB. */
const GZIP_MARGIN = 64 * 1024;

/** The gzipped size, or the plain size when that alone shows the text fits (gzip is not free). */
function gzippedSizeBound(text: string, limit: number): number {
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes <= limit - GZIP_MARGIN) return bytes;
  // zlib is loaded only here: every report format shares this module, and loading it took ~3 ms.
  const { gzipSync } = createRequire(import.meta.url)('node:zlib') as typeof import('node:zlib');
  return gzipSync(text).length;
}

/** The SARIF text, shrunk (fewest, least severe results dropped first) until it fits the limits. */
export function serialiseSarif(report: ScanReport, options: ReportOptions, limits: SarifLimits = GITHUB_SARIF_LIMITS): string {
  let maxResults = limits.maxResults;
  let reason: DropReason = 'count';
  for (;;) {
    const text = serialise(buildSarifLog(report, options, limits, maxResults, reason));
    const size = gzippedSizeBound(text, limits.maxGzipBytes);
    const kept = Math.min(maxResults, report.findings.length + (report.suppressed?.length ?? 0));
    if (size <= limits.maxGzipBytes || kept === 0) return text;
    maxResults = Math.floor((kept * limits.maxGzipBytes * 0.9) / size);
    reason = 'size';
  }
}

export function sarifReporter(report: ScanReport, options: ReportOptions): string {
  return serialiseSarif(report, options);
}

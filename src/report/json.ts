// The machine format. Its shape is a public contract described by json-report.schema.json:
// additive changes only, anything else bumps schemaVersion. Keys are written in a fixed order and
// findings in a fixed sort, so the same scan always serialises to the same bytes.

import type {
  CommitInfo,
  Confidence,
  CredentialKind,
  BlastRadius,
  Finding,
  KnownKeySource,
  Position,
  ReportOptions,
  ScanMode,
  ScanReport,
  ScanStats,
  Narrowing,
  Severity,
  SkippedItem,
  Suppression,
  Verification,
} from '../types.js';
import { escapeJsonText } from './escape.js';
import { sortFindings } from './findingOrder.js';
import { withoutCredentials } from '../remoteUrl.js';
import { type RuleCatalog, ruleCatalog } from './ruleCatalog.js';
import { type Scrubber, displaySecret, scrubVerification, secretScrubber } from './secretDisplay.js';
import { blastRadiusJson, knownKeyJson } from './leakContext.js';
import { findingSecuritySeverity, findingSeverity } from './severity.js';

export const JSON_SCHEMA_VERSION = 1;

export interface JsonFinding {
  ruleId: string;
  title: string;
  kind: CredentialKind;
  severity: Severity;
  securitySeverity: number;
  confidence: Confidence;
  signals: string[];
  message: string;
  path: string;
  start: Position;
  end: Position;
  secret: string;
  secretRedacted: boolean;
  secretHash: string;
  fingerprint: string;
  commit?: CommitInfo;
  verification?: Verification;
  moreOccurrences?: number;
  suppression?: Suppression;
  knownKey?: KnownKeySource;
  blastRadius?: BlastRadius;
}

export interface JsonReport {
  schemaVersion: typeof JSON_SCHEMA_VERSION;
  tool: { name: 'segscan'; version: string };
  mode: ScanMode;
  root: string;
  repository?: NonNullable<ScanReport['repository']>;
  incomplete: boolean;
  incompleteReason?: string;
  findings: JsonFinding[];
  skipped: SkippedItem[];
  warnings: string[];
  stats: ScanStats;
  staleBaseline?: string[];
  suppressed?: JsonFinding[];
  narrowing?: Narrowing[];
}

function jsonCommit(c: CommitInfo, scrub: Scrubber): CommitInfo {
  return { sha: c.sha, authorName: scrub.commit(c.authorName), authorEmail: scrub.commit(c.authorEmail), date: c.date, subject: scrub.commit(c.subject) };
}

function jsonFinding(f: Finding, rules: RuleCatalog, options: ReportOptions, scrub: Scrubber): JsonFinding {
  const rule = rules(f.ruleId);
  const out: JsonFinding = {
    ruleId: f.ruleId,
    title: rule.title,
    kind: f.kind ?? rule.kind,
    severity: findingSeverity(f, rule),
    securitySeverity: findingSecuritySeverity(f, rule),
    confidence: f.confidence,
    signals: f.signals.map(scrub),
    message: rule.message,
    path: f.path,
    start: { line: f.start.line, column: f.start.column },
    end: { line: f.end.line, column: f.end.column },
    secret: displaySecret(f.secret, options),
    secretRedacted: options.redact,
    secretHash: f.secretHash,
    fingerprint: f.fingerprint,
  };
  if (f.commit) out.commit = jsonCommit(f.commit, scrub);
  if (f.verification) out.verification = scrubVerification(f.verification, scrub);
  if (f.moreOccurrences) out.moreOccurrences = f.moreOccurrences;
  if (f.suppression) out.suppression = { ...f.suppression, justification: scrub(f.suppression.justification) };
  if (f.knownKey) out.knownKey = knownKeyJson(f.knownKey, scrub);
  if (f.verification?.blastRadius) out.blastRadius = blastRadiusJson(f.verification.blastRadius, scrub);
  return out;
}

function jsonRepository(repo: NonNullable<ScanReport['repository']>): NonNullable<ScanReport['repository']> {
  const out: NonNullable<ScanReport['repository']> = { root: repo.root };
  if (repo.head !== undefined) out.head = repo.head;
  if (repo.branch !== undefined) out.branch = repo.branch;
  if (repo.shallow !== undefined) out.shallow = repo.shallow;
  if (repo.remoteUrl !== undefined) out.remoteUrl = withoutCredentials(repo.remoteUrl);
  return out;
}

function jsonSkipped(item: SkippedItem, scrub: Scrubber): SkippedItem {
  const out: SkippedItem = { path: item.path, reason: item.reason };
  if (item.detail !== undefined) out.detail = scrub(item.detail);
  if (item.size !== undefined) out.size = item.size;
  if (item.commit !== undefined) out.commit = item.commit;
  if (item.holdsKeywords) out.holdsKeywords = true;
  return out;
}

function jsonStats(s: ScanStats): ScanStats {
  const out: ScanStats = { filesScanned: s.filesScanned, bytesScanned: s.bytesScanned, skipped: s.skipped, durationMs: s.durationMs };
  if (s.commitsScanned !== undefined) out.commitsScanned = s.commitsScanned;
  if (s.blobsScanned !== undefined) out.blobsScanned = s.blobsScanned;
  return out;
}

/** The report as a plain object in the documented shape (for the API; the CLI prints jsonReporter). */
export function toJsonReport(report: ScanReport, options: ReportOptions): JsonReport {
  const rules = ruleCatalog(report);
  const scrub = secretScrubber(report, options);
  // Spreads keep optional keys in their documented place without writing `undefined`.
  return {
    schemaVersion: JSON_SCHEMA_VERSION,
    tool: { name: report.tool.name, version: report.tool.version },
    mode: report.mode,
    root: report.root,
    ...(report.repository ? { repository: jsonRepository(report.repository) } : {}),
    incomplete: report.incomplete,
    ...(report.incompleteReason !== undefined ? { incompleteReason: scrub(report.incompleteReason) } : {}),
    findings: sortFindings(report.findings).map((f) => jsonFinding(f, rules, options, scrub)),
    skipped: report.skipped.map((item) => jsonSkipped(item, scrub)),
    warnings: report.warnings.map(scrub),
    stats: jsonStats(report.stats),
    ...(report.staleBaseline !== undefined ? { staleBaseline: report.staleBaseline.map(scrub) } : {}),
    ...(report.suppressed?.length ? { suppressed: sortFindings(report.suppressed).map((f) => jsonFinding(f, rules, options, scrub)) } : {}),
    ...(report.narrowing?.length ? { narrowing: report.narrowing.map((n) => ({ ...n, value: scrub(n.value) })) } : {}),
  };
}

export function jsonReporter(report: ScanReport, options: ReportOptions): string {
  return escapeJsonText(`${JSON.stringify(toJsonReport(report, options), null, 2)}\n`);
}

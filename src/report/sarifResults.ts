// SARIF results: one per finding, with the fingerprints GitHub uses to track an alert across
// pushes, and the selection that keeps a run within GitHub's result limit.

import { createHash } from 'node:crypto';
import type { Finding, ReportOptions, RuleInfo, Suppression } from '../types.js';
import type { RuleCatalog } from './ruleCatalog.js';
import type { SarifResult } from './sarifLog.js';
import { sentence } from './prose.js';
import { type Scrubber, displaySecret, scrubVerification } from './secretDisplay.js';
import { confidenceRank, findingLevel, findingSeverity, severityRank } from './severity.js';
import { blastRadiusJson, blastRadiusSentence, knownKeyJson, knownKeyText } from './leakContext.js';

export const SRCROOT = '%SRCROOT%';

/**
 * A relative URI for a POSIX path: each segment percent-encoded, separators kept. `.` and `..`
 * segments are encoded too (a crafted git tree can hold them), so no uri leaves %SRCROOT%; an
 * absolute path's leading `/` becomes an encoded empty segment's neighbour, never a root.
 */
export function artifactUri(path: string): string {
  return path
    .replace(/^\/+/, '')
    .split('/')
    .map((segment) => (segment === '.' || segment === '..' ? segment.replace(/\./g, '%2E') : encodeURIComponent(segment)))
    .join('/');
}

/**
 * "<16 hex>:<occurrence>" per finding (findings in report order), under segscan's own key. The
 * hash covers rule, secret hash and path, not the line, so an alert survives edits above it; the
 * occurrence index (1-based, in sorted order) keeps two hits of one secret in one file apart.
 *
 * Not `primaryLocationLineHash`: codeql-action's upload computes that one itself from the checked
 * out file's text at the result's line (a content hash, which also follows a moved line) and warns
 * for every result whose existing value differs, as segscan's always would.
 */
export function locationHashes(sorted: readonly Finding[]): string[] {
  const seen = new Map<string, number>();
  return sorted.map((f) => {
    const hash = createHash('sha256').update(`${f.ruleId}\0${f.secretHash}\0${f.path}`).digest('hex').slice(0, 16);
    const occurrence = (seen.get(hash) ?? 0) + 1;
    seen.set(hash, occurrence);
    return `${hash}:${occurrence}`;
  });
}

/**
 * Indexes (into `sorted`) of the findings to keep when there are more than `max`: unsuppressed
 * before suppressed, then the most severe, then those verified live, then the most confident,
 * then the earliest; returned in sorted order.
 */
export function selectResults(sorted: readonly Finding[], rules: RuleCatalog, max: number): number[] {
  const all = sorted.map((_, i) => i);
  if (sorted.length <= max) return all;
  const rank = (i: number): [number, number, number, number, number] => {
    const f = sorted[i] as Finding;
    return [f.suppression ? 1 : 0, severityRank(findingSeverity(f, rules(f.ruleId))), f.verification?.status === 'live' ? 0 : 1, confidenceRank(f.confidence), i];
  };
  const byPriority = all.sort((a, b) => {
    const ra = rank(a);
    const rb = rank(b);
    return ra[0] - rb[0] || ra[1] - rb[1] || ra[2] - rb[2] || ra[3] - rb[3] || ra[4] - rb[4];
  });
  return byPriority.slice(0, max).sort((a, b) => a - b);
}

function messageText(f: Finding, rule: RuleInfo, options: ReportOptions, scrub: Scrubber): string {
  const parts = [sentence(rule.message), sentence(`Secret: ${displaySecret(f.secret, options)}`)];
  if (f.commit) parts.push(sentence(`Introduced in commit ${f.commit.sha.slice(0, 7)}${f.commit.date === '' ? '' : ` on ${f.commit.date.slice(0, 10)}`}`));
  if (f.knownKey) parts.push(sentence(`This is the ${knownKeyText(f.knownKey, scrub)}`));
  if (f.verification) parts.push(sentence(`Verification: ${f.verification.status.toUpperCase()}, ${scrub(f.verification.reason)}`));
  if (f.verification?.blastRadius) parts.push(sentence(`Blast radius: ${blastRadiusSentence(f.verification.blastRadius, scrub)}`));
  return parts.join(' ');
}

function resultProperties(f: Finding, scrub: Scrubber): Record<string, unknown> {
  const props: Record<string, unknown> = { confidence: f.confidence, signals: f.signals.map(scrub), secretHash: f.secretHash };
  if (f.moreOccurrences) props['moreOccurrences'] = f.moreOccurrences;
  if (f.verification) props['verification'] = scrubVerification(f.verification, scrub);
  if (f.knownKey) props['knownKey'] = knownKeyJson(f.knownKey, scrub);
  if (f.verification?.blastRadius) props['blastRadius'] = blastRadiusJson(f.verification.blastRadius, scrub);
  if (f.commit) {
    const c = f.commit;
    props['commit'] = { sha: c.sha, author: scrub.commit(c.authorName), date: c.date, subject: scrub.commit(c.subject) };
  }
  return props;
}

/** SARIF's own form of a suppression: a suppressed result stays in the log (GitHub shows it as closed). */
function sarifSuppressions(suppression: Suppression, scrub: Scrubber): NonNullable<SarifResult['suppressions']> {
  return [{ kind: suppression.kind, justification: scrub(suppression.justification) }];
}

export function sarifResult(
  f: Finding,
  rule: RuleInfo,
  ruleIndex: number,
  lineHash: string,
  options: ReportOptions,
  scrub: Scrubber,
): SarifResult {
  return {
    ruleId: f.ruleId,
    ruleIndex,
    level: findingLevel(findingSeverity(f, rule), f.verification),
    message: { text: messageText(f, rule, options, scrub) },
    locations: [
      {
        physicalLocation: {
          artifactLocation: { uri: artifactUri(f.path), uriBaseId: SRCROOT },
          region: { startLine: f.start.line, startColumn: f.start.column, endLine: f.end.line, endColumn: f.end.column },
        },
      },
    ],
    partialFingerprints: { 'segscan/location/v1': lineHash, 'segscan/v1': f.fingerprint },
    ...(f.suppression ? { suppressions: sarifSuppressions(f.suppression, scrub) } : {}),
    properties: resultProperties(f, scrub),
  };
}

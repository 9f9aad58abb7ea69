// The default, human format: one block per finding, then what was suppressed and what narrowed the
// scan, what was not scanned, then one summary line. Every value that came from outside segscan
// passes through the scrubber (no secret) and `visible` (no control character).

import type { Finding, ReportOptions, RuleInfo, ScanReport, SkippedItem, Verification } from '../types.js';
import { type Palette, palette } from './ansi.js';
import { neutraliseCommands, visible } from './escape.js';
import { sortFindings } from './findingOrder.js';
import { blastRadiusLines, knownKeyText } from './leakContext.js';
import { remediationHint } from './prose.js';
import { ruleCatalog } from './ruleCatalog.js';
import { type Scrubber, displaySecret, scrubVerification, secretScrubber } from './secretDisplay.js';
import { findingSeverity } from './severity.js';
import { describeNarrowing, partitionSkipped, plural, skipDescription, summaryLine } from './summary.js';

/** Beyond this many, listed skips and warnings are counted rather than printed one by one. */
const MAX_LISTED = 100;

function severityStyle(p: Palette, severity: RuleInfo['severity']): (text: string) => string {
  return { critical: p.magenta, high: p.red, medium: p.yellow, low: p.cyan }[severity];
}

function verificationMarker(p: Palette, v: Verification): string {
  if (v.status === 'live') return p.alarm('LIVE');
  return v.status === 'invalid' ? p.green('INVALID') : p.yellow('UNKNOWN');
}

function verificationLine(p: Palette, raw: Verification, scrub: Scrubber): string {
  const v = scrubVerification(raw, scrub);
  const details = Object.entries(v.details ?? {})
    .map(([k, val]) => `${visible(k)}=${visible(val)}`)
    .join(', ');
  return `${verificationMarker(p, v)}: ${visible(v.reason)}${details ? ` (${details})` : ''}`;
}

function location(f: Finding): string {
  return `${visible(f.path)}:${f.start.line}:${f.start.column}`;
}

function findingBlock(f: Finding, rule: RuleInfo, options: ReportOptions, p: Palette, scrub: Scrubber): string {
  const severity = findingSeverity(f, rule);
  const sev = severityStyle(p, severity);
  const header = [
    p.bold(location(f)),
    sev(severity.toUpperCase()),
    visible(`${rule.id}: ${rule.title}`),
    ...(f.verification ? [verificationMarker(p, f.verification)] : []),
  ].join('  ');
  const rows: Array<[string, string]> = [];
  if (f.commit) {
    const c = f.commit;
    // No date: the details were not read (an interrupted scan); the report's warnings say so.
    rows.push(['commit', c.date === '' ? c.sha.slice(0, 7) : `${c.sha.slice(0, 7)} by ${visible(scrub.commit(c.authorName))} on ${c.date.slice(0, 10)}: ${visible(scrub.commit(c.subject))}`]);
  }
  const signals = f.signals.length > 0 ? ` (${f.signals.map((s) => visible(scrub(s))).join(', ')})` : '';
  rows.push(['confidence', `${f.confidence}${signals}`]);
  rows.push(['secret', visible(displaySecret(f.secret, options))]);
  if (f.moreOccurrences) rows.push(['repeats', `${plural(f.moreOccurrences, 'more occurrence')} of this secret in this file (not listed)`]);
  rows.push(['message', visible(rule.message)]);
  if (f.knownKey) rows.push(['source', visible(knownKeyText(f.knownKey, scrub))]);
  if (f.verification) rows.push(['verified', verificationLine(p, f.verification, scrub)]);
  if (f.verification?.blastRadius) blastRadiusLines(f.verification.blastRadius, scrub).forEach((line, i) => rows.push([i === 0 ? 'reach' : '', line]));
  const hint = remediationHint(rule.remediation);
  if (hint) rows.push(['hint', visible(hint)]);
  return [header, ...rows.map(([label, value]) => `  ${p.dim(label.padEnd(12))}${value}`)].join('\n');
}

/** A suppressed finding on one line: where, which rule, and who suppressed it why. */
function suppressedLine(f: Finding, scrub: Scrubber): string {
  const where = f.commit ? ` (commit ${f.commit.sha.slice(0, 7)})` : '';
  const why = f.suppression ? visible(scrub(f.suppression.justification)) : '';
  return `${location(f)}  ${visible(f.ruleId)}${where}: ${why}`;
}

function listSection(title: string, lines: readonly string[]): string[] {
  if (lines.length === 0) return [];
  const shown = lines.slice(0, MAX_LISTED).map((l) => `  - ${l}`);
  if (lines.length > MAX_LISTED) shown.push(`  … and ${lines.length - MAX_LISTED} more (see --format json)`);
  return [title, ...shown];
}

function skippedLine(item: SkippedItem, scrub: Scrubber): string {
  const where = item.commit ? ` in commit ${item.commit.slice(0, 7)}` : '';
  return `${visible(item.path)}${where}: ${visible(skipDescription(item, scrub))}`;
}

function skippedSection(report: ScanReport, scrub: Scrubber): string[] {
  const { listed, counted } = partitionSkipped(report.skipped);
  const lines = listSection('Skipped:', listed.map((item) => skippedLine(item, scrub)));
  if (counted.length > 0) {
    if (lines.length === 0) lines.push('Skipped:');
    lines.push(`  ${counted.map(([reason, n]) => `${plural(n, 'file')} ${reason}`).join(', ')}`);
  }
  return lines;
}

export function textReporter(report: ScanReport, options: ReportOptions): string {
  const p = palette(options.color);
  const rules = ruleCatalog(report);
  const scrub = secretScrubber(report, options);
  const shown = (text: string) => visible(scrub(text));
  const blocks = sortFindings(report.findings).map((f) => findingBlock(f, rules(f.ruleId), options, p, scrub));
  const notes = [
    listSection('Suppressed (reported, not counted):', sortFindings(report.suppressed ?? []).map((f) => suppressedLine(f, scrub))),
    listSection('Narrowed (what kept content out of this scan):', (report.narrowing ?? []).map((n) => visible(describeNarrowing(n)))),
    listSection('Warnings:', report.warnings.map(shown)),
    skippedSection(report, scrub),
    listSection(
      'Stale baseline entries (they match nothing any more; remove them from the baseline):',
      (report.staleBaseline ?? []).map(shown),
    ),
  ].filter((lines) => lines.length > 0);
  if (report.incomplete) {
    const reason = report.incompleteReason ? `: ${shown(report.incompleteReason)}` : '';
    notes.push([p.red(p.bold(`SCAN INCOMPLETE${reason}. Not everything was scanned; findings may be missing.`))]);
  }
  const summary = report.findings.length > 0 ? p.bold(summaryLine(report, rules)) : summaryLine(report, rules);
  const sections = [...blocks, ...notes.map((lines) => lines.join('\n')), summary];
  return neutraliseCommands(`${sections.join('\n\n')}\n`);
}

// GitHub Actions workflow commands: each finding becomes an annotation on the pull request's
// diff (`::error file=…,line=…::message`), then a plain summary line for the job log.

import type { Finding, ReportOptions, ScanReport } from '../types.js';
import { sortFindings } from './findingOrder.js';
import { type RuleCatalog, ruleCatalog } from './ruleCatalog.js';
import { sentence } from './prose.js';
import { knownKeyText } from './leakContext.js';
import { type Scrubber, displaySecret, secretScrubber } from './secretDisplay.js';
import { findingLevel, findingSeverity } from './severity.js';
import { describeNarrowing, summaryLine } from './summary.js';
import { neutraliseCommands, visible } from './escape.js';

const COMMAND: Record<ReturnType<typeof findingLevel>, string> = { error: 'error', warning: 'warning', note: 'notice' };

/**
 * Escaping for a command's message, as in @actions/core; other control characters (ESC, DEL, …),
 * which the runner would pass on to the log viewer, are written as visible escapes first.
 */
export function escapeData(text: string): string {
  return visible(text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A'));
}

/** Escaping for a command's property values, which also must not contain ':' or ','. */
export function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

function location(f: Finding, title: string): string {
  return [
    ['file', f.path],
    ['line', String(f.start.line)],
    ['col', String(f.start.column)],
    ['endLine', String(f.end.line)],
    ['endColumn', String(f.end.column)],
    ['title', title],
  ]
    .map(([k, v]) => `${k}=${escapeProperty(v ?? '')}`)
    .join(',');
}

function annotation(f: Finding, rules: RuleCatalog, options: ReportOptions, scrub: Scrubber): string {
  const rule = rules(f.ruleId);
  const parts = [
    sentence(rule.message),
    sentence(`Secret: ${displaySecret(f.secret, options)}`),
    sentence(`Rule ${rule.id}, ${findingSeverity(f, rule)}, confidence ${f.confidence}`),
  ];
  if (f.moreOccurrences) parts.push(sentence(`The same secret occurs ${f.moreOccurrences} more times in this file`));
  if (f.knownKey) parts.push(sentence(`This is the ${knownKeyText(f.knownKey, scrub)}`));
  if (f.commit) parts.push(sentence(`Introduced in commit ${f.commit.sha.slice(0, 7)}`));
  if (f.verification) parts.push(sentence(`Verification: ${f.verification.status.toUpperCase()}, ${scrub(f.verification.reason)}`));
  return `::${COMMAND[findingLevel(findingSeverity(f, rule), f.verification)]} ${location(f, rule.title)}::${escapeData(parts.join(' '))}`;
}

/** A suppressed finding stays visible on the diff as a notice: a pull request that adds `segscan:allow` shows it. */
function suppressedAnnotation(f: Finding, rules: RuleCatalog, options: ReportOptions, scrub: Scrubber): string {
  const rule = rules(f.ruleId);
  const why = f.suppression ? scrub(f.suppression.justification) : 'suppressed';
  const message = `${sentence(`Suppressed, not counted: ${why}`)} ${sentence(`${rule.title}: ${displaySecret(f.secret, options)} (rule ${rule.id})`)}`;
  return `::notice ${location(f, `Suppressed: ${rule.title}`)}::${escapeData(message)}`;
}

export function githubReporter(report: ScanReport, options: ReportOptions): string {
  const rules = ruleCatalog(report);
  const scrub = secretScrubber(report, options);
  const lines = sortFindings(report.findings).map((f) => annotation(f, rules, options, scrub));
  lines.push(...sortFindings(report.suppressed ?? []).map((f) => suppressedAnnotation(f, rules, options, scrub)));
  if (report.incomplete) {
    const reason = report.incompleteReason ? `: ${scrub(report.incompleteReason)}` : '';
    lines.push(`::warning title=segscan scan incomplete::${escapeData(`Scan incomplete${reason}. Findings may be missing.`)}`);
  }
  // Plain lines, never commands: they start with "segscan:" and values are escaped.
  lines.push(...(report.narrowing ?? []).map((n) => `segscan: narrowed: ${visible(scrub(describeNarrowing(n)))}`));
  lines.push(summaryLine(report, rules));
  // Every line that starts with "::" here is an annotation built above, its values escaped.
  return neutraliseCommands(`${lines.join('\n')}\n`, () => true);
}

// GitHub Actions workflow commands: each finding becomes an annotation on the pull request's
// diff (`::error file=…,line=…::message`), then a plain summary line for the job log.

import type { Finding, ReportOptions, ScanReport } from '../types.js';
import { sortFindings } from './findingOrder.js';
import { type RuleCatalog, ruleCatalog } from './ruleCatalog.js';
import { sentence } from './prose.js';
import { knownKeyText } from './leakContext.js';
import { type Scrubber, displaySecret, secretScrubber } from './secretDisplay.js';
import { findingLevel, findingSeverity } from './severity.js';
import { summaryLine } from './summary.js';

const COMMAND: Record<ReturnType<typeof findingLevel>, string> = { error: 'error', warning: 'warning', note: 'notice' };

/** Escaping for a command's message, as in @actions/core. */
export function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** Escaping for a command's property values, which also must not contain ':' or ','. */
export function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

function annotation(f: Finding, rules: RuleCatalog, options: ReportOptions, scrub: Scrubber): string {
  const rule = rules(f.ruleId);
  const props = [
    ['file', f.path],
    ['line', String(f.start.line)],
    ['col', String(f.start.column)],
    ['endLine', String(f.end.line)],
    ['endColumn', String(f.end.column)],
    ['title', rule.title],
  ]
    .map(([k, v]) => `${k}=${escapeProperty(v ?? '')}`)
    .join(',');
  const parts = [
    sentence(rule.message),
    sentence(`Secret: ${displaySecret(f.secret, options)}`),
    sentence(`Rule ${rule.id}, ${findingSeverity(f, rule)}, confidence ${f.confidence}`),
  ];
  if (f.knownKey) parts.push(sentence(`This is the ${knownKeyText(f.knownKey, scrub)}`));
  if (f.commit) parts.push(sentence(`Introduced in commit ${f.commit.sha.slice(0, 7)}`));
  if (f.verification) parts.push(sentence(`Verification: ${f.verification.status.toUpperCase()}, ${scrub(f.verification.reason)}`));
  return `::${COMMAND[findingLevel(findingSeverity(f, rule), f.verification)]} ${props}::${escapeData(parts.join(' '))}`;
}

export function githubReporter(report: ScanReport, options: ReportOptions): string {
  const rules = ruleCatalog(report);
  const scrub = secretScrubber(report, options);
  const lines = sortFindings(report.findings).map((f) => annotation(f, rules, options, scrub));
  if (report.incomplete) {
    const reason = report.incompleteReason ? `: ${scrub(report.incompleteReason)}` : '';
    lines.push(`::warning title=segscan scan incomplete::${escapeData(`Scan incomplete${reason}. Findings may be missing.`)}`);
  }
  // A summary that began with "::" would be read as a command; summaries never do.
  lines.push(summaryLine(report, rules));
  return `${lines.join('\n')}\n`;
}

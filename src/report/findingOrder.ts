// The one stable order every reporter lists findings in: path, line, column, rule id, then the
// remaining fields so that equal locations (e.g. the same line in several commits) never depend
// on the order the scan happened to produce them in.

import type { Finding } from '../types.js';

function compareStrings(a: string, b: string): number {
  // Code-unit order, not localeCompare: the output must not depend on the machine's locale.
  return a < b ? -1 : a > b ? 1 : 0;
}

export function compareFindings(a: Finding, b: Finding): number {
  return (
    compareStrings(a.path, b.path) ||
    a.start.line - b.start.line ||
    a.start.column - b.start.column ||
    compareStrings(a.ruleId, b.ruleId) ||
    a.end.line - b.end.line ||
    a.end.column - b.end.column ||
    compareStrings(a.commit?.date ?? '', b.commit?.date ?? '') ||
    compareStrings(a.commit?.sha ?? '', b.commit?.sha ?? '') ||
    compareStrings(a.fingerprint, b.fingerprint)
  );
}

/** A sorted copy; the report itself is never mutated. */
export function sortFindings(findings: readonly Finding[]): Finding[] {
  return [...findings].sort(compareFindings);
}

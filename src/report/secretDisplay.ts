// How secrets reach output. A finding's own secret is shown through redactSecret; free text that
// came from outside segscan (commit subjects, warnings, verifier reasons) is scrubbed of every
// secret in the report, because a commit titled "add key abc…" would otherwise leak it.

import { redactAll, redactSecret } from '../engine/redact.js';
import type { ReportOptions, ScanReport, Verification } from '../types.js';

export function displaySecret(secret: string, options: ReportOptions): string {
  return options.redact ? redactSecret(secret) : secret;
}

export type Scrubber = (text: string) => string;

export function secretScrubber(report: ScanReport, options: ReportOptions): Scrubber {
  if (!options.redact) return (text) => text;
  // Longest first, so a secret that contains another is replaced whole.
  const secrets = [...new Set(report.findings.map((f) => f.secret))].sort((a, b) => b.length - a.length);
  return (text) => redactAll(text, secrets);
}

/** A verification with its free text scrubbed and its details in key order. */
export function scrubVerification(v: Verification, scrub: Scrubber): Verification {
  const out: Verification = { status: v.status, reason: scrub(v.reason) };
  if (v.details) {
    const details = v.details;
    out.details = Object.fromEntries(Object.keys(details).sort().map((k) => [k, scrub(details[k] ?? '')]));
  }
  return out;
}

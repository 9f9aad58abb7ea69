// How secrets reach output. A finding's own secret is shown through redactSecret; free text that
// came from outside segscan (commit subjects, warnings, verifier reasons) is scrubbed of every
// secret in the report, because a commit titled "add key abc…" would otherwise leak it.

import { redactLikelySecrets, redactSecret } from '../engine/redact.js';
import type { ReportOptions, ScanReport, Verification } from '../types.js';

export function displaySecret(secret: string, options: ReportOptions): string {
  return options.redact ? redactSecret(secret, options.redactPercent) : secret;
}

/**
 * Scrubs free text of the report's secrets. `commit` also redacts anything key-like in commit
 * metadata (subject, author), where a key that is no finding of this scan can still be pasted.
 */
export type Scrubber = ((text: string) => string) & { commit: (text: string) => string };

function withCommit(scrub: (text: string) => string, redact: boolean): Scrubber {
  return Object.assign(scrub, { commit: redact ? (text: string) => redactLikelySecrets(scrub(text)) : scrub });
}

/** redactAll ignores secrets this short; so does the scrubber, which also uses it as a probe length. */
const PROBE = 6;

/**
 * Replaces every finding's secret in a piece of free text. One pass over the text, looking up each
 * position's next few characters, because a history scan can hold thousands of secrets and a
 * report scrubs thousands of strings.
 */
export function secretScrubber(report: ScanReport, options: ReportOptions): Scrubber {
  if (!options.redact) return withCommit((text) => text, false);
  const byProbe = new Map<string, string[]>();
  // Longest first, so a secret that contains another is replaced whole.
  const secrets = [...new Set(report.findings.map((f) => f.secret))].sort((a, b) => b.length - a.length);
  for (const secret of secrets) {
    if (secret.length < PROBE) continue;
    const probe = secret.slice(0, PROBE);
    byProbe.set(probe, [...(byProbe.get(probe) ?? []), secret]);
  }
  if (byProbe.size === 0) return withCommit((text) => text, true);
  return withCommit((text) => {
    let out = '';
    let copied = 0;
    for (let i = 0; i + PROBE <= text.length; ) {
      const hit = byProbe.get(text.slice(i, i + PROBE))?.find((s) => text.startsWith(s, i));
      if (hit) {
        out += text.slice(copied, i) + redactSecret(hit, options.redactPercent);
        i += hit.length;
        copied = i;
      } else i++;
    }
    return copied === 0 ? text : out + text.slice(copied);
  }, true);
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

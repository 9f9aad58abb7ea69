// Redaction keeps enough of a secret to recognise it (a known prefix, a few characters at each
// end) and never more than a quarter of it, so a redacted value can't be brute-forced back.

import { shannonEntropy } from './entropy.js';

const KNOWN_PREFIXES = ['sgp_', 'sg_'];

/**
 * `percent` is gitleaks' `--redact=N`: hide N% of the secret. It can only hide more than the
 * default (at most a quarter shown), never show more: `--redact=50` shows what the default shows.
 */
export function redactSecret(secret: string, percent = 0): string {
  const prefix = KNOWN_PREFIXES.find((p) => secret.startsWith(p)) ?? '';
  const body = secret.slice(prefix.length);
  const budget = Math.min(Math.floor(body.length / 4), Math.floor((body.length * (100 - percent)) / 100));
  const head = Math.min(4, Math.ceil(budget / 2));
  const tail = Math.min(2, budget - head);
  if (body.length < 8) return `${prefix}${'*'.repeat(3)}`;
  return `${prefix}${body.slice(0, head)}…${tail > 0 ? body.slice(body.length - tail) : ''}`;
}

/** Replace every occurrence of each secret in a string (for messages that might echo input). */
export function redactAll(text: string, secrets: Iterable<string>): string {
  let out = text;
  for (const s of secrets) if (s.length >= 6) out = out.split(s).join(redactSecret(s));
  return out;
}

/**
 * Redact every token in free text that could be a key: 16 or more key characters, letters and
 * digits mixed, with high entropy (option names and words stay readable). For text that may echo
 * user input (usage errors, commit subjects), where the secrets are not known.
 */
export function redactLikelySecrets(text: string): string {
  return text.replace(/[A-Za-z0-9_+/=.-]{16,}/g, (token) =>
    /[0-9]/.test(token) && /[A-Za-z]/.test(token) && shannonEntropy(token) >= 3.5 ? redactSecret(token) : token,
  );
}

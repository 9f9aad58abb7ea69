// Redaction keeps enough of a secret to recognise it (a known prefix, a few characters at each
// end) and never more than a quarter of it, so a redacted value can't be brute-forced back.

const KNOWN_PREFIXES = ['sgp_', 'sg_'];

export function redactSecret(secret: string): string {
  const prefix = KNOWN_PREFIXES.find((p) => secret.startsWith(p)) ?? '';
  const body = secret.slice(prefix.length);
  const budget = Math.floor(body.length / 4);
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

// Values that look like assignments of a key but are not keys: references to variables or
// secret stores, template holes, documentation placeholders. These are the main source of false
// alarms in secret scanning, so every rule gets this filter on top of its own allowlist.
import { shannonEntropy } from './entropy.js';

const REFERENCE_MARKERS = [
  '${', '{{', '}}', '<', '>', '%(', '$(',
  'process.env', 'import.meta.env', 'os.environ', 'os.getenv', 'getenv', 'env[', 'secrets.',
  'vault:', 'ssm:', 'arn:aws',
];

const PLACEHOLDER_WORDS = [
  'your', 'example', 'placeholder', 'changeme', 'change_me', 'dummy', 'sample', 'redacted',
  'insert', 'replace', 'todo', 'fixme', 'xxxx', 'notreal', 'not_real', 'writekeyhere', 'key_here',
];

/** Runs of the characters people type as filler (xxxx, ****, 0000, ....), or any long run. */
const FILLER_RUN = /([xX*.#0_-])\1{3,}|(.)\2{7,}/;
/** Separators, which random keys never contain (after a known prefix such as sg_). */
const SEPARATOR = /[_\-. ]/;
const KNOWN_PREFIX = /^(sgp_|sg_)/;
/** Whole value is a shell-style or Makefile reference: $FOO, $(FOO), %FOO%. */
const BARE_REFERENCE = /^(\$[A-Za-z_][A-Za-z0-9_]*|%[A-Za-z_][A-Za-z0-9_]*%)$/;

export function isPlaceholder(secret: string): boolean {
  if (secret.trim().length === 0) return true;
  if (BARE_REFERENCE.test(secret)) return true;
  const lower = secret.toLowerCase();
  if (REFERENCE_MARKERS.some((m) => lower.includes(m))) return true;
  if (FILLER_RUN.test(secret) || hasCountingRun(secret)) return true;
  return containsWord(secret, PLACEHOLDER_WORDS);
}

/** Six or more characters counting up (123456, abcdef, ABCDEF): typed, never random. */
function hasCountingRun(secret: string): boolean {
  let run = 1;
  for (let i = 1; i < secret.length; i++) {
    const step = secret.charCodeAt(i) - secret.charCodeAt(i - 1);
    const sameClass = /[0-9]/.test(secret[i] ?? '') === /[0-9]/.test(secret[i - 1] ?? '');
    run = step === 1 && sameClass && /[A-Za-z0-9]/.test(secret[i] ?? '') ? run + 1 : 1;
    if (run >= 6) return true;
  }
  return false;
}

/**
 * Does the value contain one of these (lower-case) words, in a value that reads like words
 * (separators or low entropy)? A random key contains "todo" or "test" by chance about once in
 * 30,000, and must still be reported.
 */
export function containsWord(secret: string, words: readonly string[]): boolean {
  if (words.length === 0) return false;
  const body = secret.replace(KNOWN_PREFIX, '');
  if (!SEPARATOR.test(body) && shannonEntropy(body) >= 4) return false;
  const lower = secret.toLowerCase();
  return words.some((w) => lower.includes(w));
}

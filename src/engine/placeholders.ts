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

const isDigit = (c: number) => c >= 48 && c <= 57;
const isAlnum = (c: number) => isDigit(c) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);

/**
 * Six or more characters counting up (123456, abcdef, ABCDEF), or two counts interleaved
 * (1a2b3c4d…, a documentation write key): typed, never random (a random key holds either with
 * odds below 1e-7).
 */
function hasCountingRun(secret: string): boolean {
  for (const stride of [1, 2]) {
    let run = 1;
    for (let i = stride; i < secret.length; i++) {
      const before = secret.charCodeAt(i - stride);
      const c = secret.charCodeAt(i);
      run = c - before === 1 && isAlnum(c) && isDigit(c) === isDigit(before) ? run + 1 : 1;
      if (run >= 6) return true;
    }
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

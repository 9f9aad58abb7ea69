// Values that look like assignments of a key but are not keys: references to variables or
// secret stores, template holes, documentation placeholders. These are the main source of false
// alarms in secret scanning, so every rule gets this filter on top of its own allowlist.

const REFERENCE_MARKERS = [
  '${', '{{', '}}', '<', '>', '%(', '$(',
  'process.env', 'import.meta.env', 'os.environ', 'os.getenv', 'getenv', 'env[', 'secrets.',
  'vault:', 'ssm:', 'arn:aws',
];

const PLACEHOLDER_WORDS = [
  'your', 'example', 'placeholder', 'changeme', 'change_me', 'dummy', 'sample', 'redacted',
  'insert', 'replace', 'todo', 'fixme', 'xxxx', 'notreal', 'not_real', 'writekeyhere', 'key_here',
];

/** Four or more of the same character in a row (xxxx, ****, 0000, ....). */
const REPEATED_RUN = /(.)\1{3,}/;
/** Whole value is a shell-style or Makefile reference: $FOO, $(FOO), %FOO%. */
const BARE_REFERENCE = /^(\$[A-Za-z_][A-Za-z0-9_]*|%[A-Za-z_][A-Za-z0-9_]*%)$/;

export function isPlaceholder(secret: string): boolean {
  if (secret.trim().length === 0) return true;
  if (BARE_REFERENCE.test(secret)) return true;
  const lower = secret.toLowerCase();
  if (REFERENCE_MARKERS.some((m) => lower.includes(m))) return true;
  if (PLACEHOLDER_WORDS.some((w) => lower.includes(w))) return true;
  return REPEATED_RUN.test(secret);
}

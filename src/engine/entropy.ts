/** Shannon entropy in bits per character. Random base62 keys score about 4.5-5; words score 2-3. */
export function shannonEntropy(value: string): number {
  if (value.length === 0) return 0;
  const counts = new Map<string, number>();
  for (const c of value) counts.set(c, (counts.get(c) ?? 0) + 1);
  let bits = 0;
  for (const n of counts.values()) {
    const p = n / value.length;
    bits -= p * Math.log2(p);
  }
  return bits;
}

export type CharClass = 'upper' | 'lower' | 'digit';

const CLASS_TESTS: Record<CharClass, RegExp> = { upper: /[A-Z]/, lower: /[a-z]/, digit: /[0-9]/ };

export function hasCharClasses(value: string, classes: readonly CharClass[]): boolean {
  return classes.every((c) => CLASS_TESTS[c].test(value));
}

/** Changes between upper case, lower case and digits along the string (`aB3` has 2). */
function classChanges(s: string): number {
  const classOf = (c: number) => (c >= 97 && c <= 122 ? 1 : c >= 65 && c <= 90 ? 2 : c >= 48 && c <= 57 ? 3 : 0);
  let changes = 0;
  for (let i = 1; i < s.length; i++) if (classOf(s.charCodeAt(i)) !== classOf(s.charCodeAt(i - 1))) changes++;
  return changes;
}

/** The words of identifiers that have no vowel after their capital (`NodeImpl`, `HttpClient`). */
const VOWELLESS_WORDS = /^(?:Https?|Html|Impl|Ctrl|Cmds|Msgs|Pkgs|Btns|Mgrs|Svcs|Xmls|Grpc|Rpcs|Srcs|Dsts|Ctxs|Args|Tmpl)/;

/**
 * Does a letters-and-digits token read like an identifier made of words rather than a random key?
 * Measured on 32-character tokens: identifiers in real packages (`GoogleCloudVisionV1p4beta1Vertex`)
 * have 3 to 5 capitalised words of four letters or more and 5 to 13 changes between upper case,
 * lower case and digits; random keys 0 to 2 such words and 12 to 26 changes. A word has a vowel
 * after its capital (`Cloud`, `Vision`) or is one of the usual abbreviations (`Impl`, `Http`):
 * random runs like `Rgqb` and `Wpkm` made a real write key in a public test file read as four
 * words. The test rejects about one random key in 500 (one in 170 before vowels counted; 200,000
 * random keys).
 */
export function looksLikeIdentifier(token: string): boolean {
  const words = (token.match(/[A-Z][a-z]{3,}/g) ?? []).filter((word) => /[aeiouy]/.test(word.slice(1)) || VOWELLESS_WORDS.test(word)).length;
  const changes = classChanges(token);
  return words >= 4 || (words >= 3 && changes <= 12) || changes <= 10;
}

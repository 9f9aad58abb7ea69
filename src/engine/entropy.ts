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

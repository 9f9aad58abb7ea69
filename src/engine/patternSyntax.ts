// A walk over RE2 pattern syntax that folds it into a measure: how large a program it compiles
// to (regex.ts: estimateProgramSize), how many characters a match can span (patternReach.ts).
// One parser, so the two measures read a pattern the same way.

/** What each piece of syntax is worth, and how pieces combine. */
export interface PatternMeasure<T> {
  /** `\x` escapes: `next` is the character after the backslash (`p` for `\p{…}`, `b` for `\b`). */
  escape(next: string): T;
  /** `[…]`. */
  charClass(): T;
  /** `(?i)`: sets flags, matches nothing. */
  flags(): T;
  /** `(…)`, `(?:…)`, `(?P<name>…)`. */
  group(inner: T): T;
  /** Any other single character: `.`, `^`, `$` or a literal. */
  char(c: string): T;
  /** `*`, `+`, `?` (lazy or not) after `atom`. */
  repeat(atom: T, op: '*' | '+' | '?'): T;
  /** `{min}`, `{min,}` (max undefined) or `{min,max}` after `atom`. */
  counted(atom: T, min: number, max: number | undefined): T;
  sequence(items: T[]): T;
  alternation(branches: T[]): T;
}

export function foldPattern<T>(source: string, m: PatternMeasure<T>): T {
  let i = 0;
  const atom = (): T => {
    const c = source[i] ?? '';
    if (c === '\\') {
      const next = source[i + 1] ?? '';
      i += 2;
      if ((next === 'p' || next === 'P' || next === 'x') && source[i] === '{') i = source.indexOf('}', i) + 1 || source.length;
      else if (next === 'p' || next === 'P') i++;
      else if (next === 'x') i += 2;
      return m.escape(next);
    }
    if (c === '[') {
      i++;
      if (source[i] === '^') i++;
      if (source[i] === ']') i++;
      while (i < source.length && source[i] !== ']') i += source[i] === '\\' ? 2 : 1;
      i++;
      return m.charClass();
    }
    if (c === '(') {
      i++;
      if (source[i] === '?') {
        const flagsOnly = /^\?[a-zA-Z-]*\)/.exec(source.slice(i));
        if (flagsOnly) {
          i += flagsOnly[0].length;
          return m.flags();
        }
        const head = /^\?(?:P?<[A-Za-z_][A-Za-z0-9_]*>|[a-zA-Z-]*:)/.exec(source.slice(i));
        i += head ? head[0].length : 1;
      }
      const inner = alternation();
      i++; // ')'
      return m.group(inner);
    }
    i++;
    return m.char(c);
  };
  const quantified = (): T => {
    const a = atom();
    const q = source[i];
    if (q === '*' || q === '+' || q === '?') {
      i++;
      if (source[i] === '?') i++;
      return m.repeat(a, q);
    }
    const counted = q === '{' ? /^\{(\d+)(?:(,)(\d*))?\}\??/.exec(source.slice(i)) : null;
    if (!counted) return a;
    i += counted[0].length;
    const min = Number(counted[1]);
    return m.counted(a, min, counted[2] === undefined ? min : counted[3] === '' ? undefined : Number(counted[3]));
  };
  const sequence = (): T => {
    const items: T[] = [];
    while (i < source.length && source[i] !== '|' && source[i] !== ')') items.push(quantified());
    return m.sequence(items);
  };
  const alternation = (): T => {
    const branches = [sequence()];
    while (source[i] === '|') {
      i++;
      branches.push(sequence());
    }
    return m.alternation(branches);
  };
  const top: T[] = [];
  while (i < source.length) {
    top.push(alternation());
    i++; // an unbalanced ')' or the end
  }
  return m.sequence(top);
}

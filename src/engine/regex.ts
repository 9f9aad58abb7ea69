// The only module that knows which regex engine segscan uses. Every rule pattern, allowlist
// regex and user-supplied pattern goes through RE2, so matching is linear in the input and a
// hostile pattern or file cannot make a scan hang.
import RE2 from 're2';

export interface RegexMatch {
  /** Offsets (UTF-16 code units) of the whole match. */
  start: number;
  end: number;
  /** Offsets and text of the requested capture group. */
  groupStart: number;
  groupEnd: number;
  groupText: string;
}

export class Pattern {
  readonly #global: RE2;
  readonly #sticky: RE2;
  readonly source: string;

  constructor(source: string) {
    this.source = source;
    // `d` asks RE2 for capture-group offsets, so a finding points at the secret, not the match.
    this.#global = new RE2(source, 'gd');
    this.#sticky = new RE2(source, '');
  }

  /** Names and count of capture groups, for validating a rule's secretGroup. */
  groupInfo(): { count: number; names: string[] } {
    // RE2 exposes neither directly; matching the empty string against an alternation that always
    // succeeds would change semantics, so count from the source with a conservative parser.
    return countGroups(this.source);
  }

  test(text: string): boolean {
    return this.#sticky.test(text);
  }

  *matches(text: string, group: number | string): Generator<RegexMatch> {
    const re = this.#global;
    re.lastIndex = 0;
    for (let m = re.exec(text); m; m = re.exec(text)) {
      const whole = m.indices?.[0];
      if (!whole) break;
      const span = typeof group === 'number' ? m.indices?.[group] : m.indices?.groups?.[group];
      if (whole[1] === whole[0]) re.lastIndex = whole[1] + 1; // never loop on an empty match
      if (!span) continue; // the group did not take part in this match
      yield { start: whole[0], end: whole[1], groupStart: span[0], groupEnd: span[1], groupText: text.slice(span[0], span[1]) };
    }
  }
}

/** Compile an RE2 pattern; throws an Error whose message is RE2's reason. */
export function compilePattern(source: string): Pattern {
  return new Pattern(source);
}

/** Escape a literal for use inside a pattern. */
export function escapeLiteral(literal: string): string {
  return literal.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&');
}

function countGroups(source: string): { count: number; names: string[] } {
  let count = 0;
  const names: string[] = [];
  let inClass = false;
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (c === '\\') { i++; continue; }
    if (inClass) { if (c === ']') inClass = false; continue; }
    if (c === '[') { inClass = true; continue; }
    if (c !== '(') continue;
    if (source[i + 1] !== '?') { count++; continue; }
    const named = /^\(\?P?<([A-Za-z_][A-Za-z0-9_]*)>/.exec(source.slice(i));
    if (named?.[1]) { count++; names.push(named[1]); }
  }
  return { count, names };
}

/**
 * A case-insensitive test for any of many literals, run on raw bytes. RE2 scans a Buffer without
 * converting it to a JS string, at gigabytes per second: the cheap first look at every file.
 */
export class LiteralSetMatcher {
  readonly #re: RE2 | undefined;

  /** `anyCase` literals match in any letter case; `exactCase` ones only as written. */
  constructor(anyCase: readonly string[], exactCase: readonly string[] = []) {
    const folded = [...new Set(anyCase.map((l) => l.toLowerCase()))].filter((l) => l.length > 0);
    const alternatives = [
      ...(folded.length > 0 ? [`(?i:${folded.map(escapeLiteral).join('|')})`] : []),
      ...exactCase.filter((l) => l.length > 0).map(escapeLiteral),
    ];
    this.#re = alternatives.length > 0 ? new RE2(alternatives.join('|'), '') : undefined;
  }

  test(bytes: Uint8Array | string): boolean {
    if (!this.#re) return false;
    return this.#re.test(typeof bytes === 'string' ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  }
}

// Where in a text a rule can match: near one of its keywords. Running each rule's regex only on
// these windows, not on the whole text, is what keeps a large file that mentions "segment" once
// as cheap as a small one.
import type { LineIndex } from './text.js';

export type Range = [number, number];

/** Byte offsets of each keyword in one text, found in one pass (KeywordScanner) and shared by rules. */
export class KeywordPositions {
  readonly #found: ReadonlyMap<string, number[]>;

  constructor(found: ReadonlyMap<string, number[]>) {
    this.#found = found;
  }

  has(keyword: string): boolean {
    return this.#found.has(keyword);
  }

  of(keyword: string): readonly number[] {
    return this.#found.get(keyword) ?? [];
  }
}

function merge(ranges: Range[]): Range[] {
  ranges.sort((a, b) => a[0] - b[0]);
  const merged: Range[] = [];
  for (const r of ranges) {
    const last = merged[merged.length - 1];
    if (last && r[0] <= last[1]) last[1] = Math.max(last[1], r[1]);
    else merged.push([r[0], r[1]]);
  }
  return merged;
}

/**
 * In text that is not ASCII a character takes up to three bytes of UTF-8 (per UTF-16 unit, the
 * unit columns count): margins given in characters are taken as that many bytes per character,
 * so a window never holds less than the characters it promises.
 */
export const MAX_BYTES_PER_CHAR = 3;

/**
 * Merged byte ranges reaching `margin` characters before and after each byte offset. With
 * `withinLine`, a range never crosses the line holding its position; otherwise it is widened to
 * whole lines when those are short, so `^` and `$` in a pattern mean what they say. Ranges start
 * and end on character boundaries.
 */
export function windowsAround(positions: Iterable<number>, lines: LineIndex, margin: number, withinLine: boolean): Range[] {
  const reach = lines.ascii ? margin : margin * MAX_BYTES_PER_CHAR;
  const ranges: Range[] = [];
  for (const at of positions) {
    let from = at - reach;
    let to = at + reach;
    const firstLine = lines.lineOf(Math.max(0, from));
    const lastLine = lines.lineOf(to);
    const fromLine = withinLine ? lines.lineOf(at) : firstLine;
    const toLine = withinLine ? fromLine : lastLine;
    const lineStart = lines.lineStart(fromLine);
    const lineEnd = lines.lineEnd(toLine);
    from = withinLine ? Math.max(lineStart, from) : from - lineStart <= reach ? lineStart : from;
    to = withinLine ? Math.min(lineEnd, to) : lineEnd - to <= reach ? lineEnd : to;
    ranges.push([lines.charStart(Math.max(0, from)), lines.charEnd(Math.min(to, lines.length))]);
  }
  return merge(ranges);
}

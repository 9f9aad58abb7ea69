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
export function windowsAround(positions: readonly number[], lines: LineIndex, margin: number, withinLine: boolean): Range[] {
  const reach = lines.ascii ? margin : margin * MAX_BYTES_PER_CHAR;
  const length = lines.length;
  // The end of a range for a position, given the offset whose line it may run to the end of.
  const end = (at: number, lineAt: number): number => {
    const to = at + reach;
    const lineEnd = lines.lineEndAt(Math.min(lineAt, length));
    return lines.charEnd(Math.min(withinLine ? Math.min(lineEnd, to) : lineEnd - to <= reach ? lineEnd : to, length));
  };
  // In ascending order a range starts no earlier than the one before it, so merging is one pass.
  const ordered = Float64Array.from(positions).sort();
  const ranges: Range[] = [];
  let last: Range | undefined;
  for (const at of ordered) {
    // A range reaching back into the last one only lengthens it: its start (two line lookups for
    // every hit of a keyword in dense text) need not be worked out.
    if (!withinLine && last && at - reach <= last[1]) {
      last[1] = Math.max(last[1], end(at, at + reach));
      continue;
    }
    const lineStart = lines.lineStartAt(Math.min(withinLine ? at : Math.max(0, at - reach), length));
    const from = lines.charStart(Math.max(0, withinLine ? Math.max(lineStart, at - reach) : at - reach - lineStart <= reach ? lineStart : at - reach));
    const to = end(at, withinLine ? at : at + reach);
    if (last && from <= last[1]) last[1] = Math.max(last[1], to);
    else ranges.push((last = [from, to]));
  }
  return ranges;
}

// Turning bytes into text the engine can scan, and offsets back into lines and columns.

export type TextDecision = { kind: 'text'; text: string } | { kind: 'binary' };

const SNIFF_BYTES = 8000;

/**
 * Decode file bytes: UTF-8 (a BOM is dropped, so columns match what editors show), UTF-16 LE/BE
 * when a BOM says so. A NUL byte in the first 8000 bytes of anything else means binary.
 */
export function decodeBytes(bytes: Uint8Array): TextDecision {
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) {
    return { kind: 'text', text: new TextDecoder('utf-16le').decode(bytes.subarray(2)) };
  }
  if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff) {
    return { kind: 'text', text: new TextDecoder('utf-16be').decode(bytes.subarray(2)) };
  }
  const sniff = bytes.subarray(0, SNIFF_BYTES);
  if (sniff.includes(0)) return { kind: 'binary' };
  const hasBom = bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
  return { kind: 'text', text: new TextDecoder('utf-8').decode(hasBom ? bytes.subarray(3) : bytes) };
}

/** Maps string offsets to 1-based line/column. Built lazily: most fragments have no findings. */
export class LineIndex {
  readonly #text: string;
  #starts: number[] | undefined;

  constructor(text: string) {
    this.#text = text;
  }

  #lineStarts(): number[] {
    if (this.#starts) return this.#starts;
    const starts = [0];
    const text = this.#text;
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
    this.#starts = starts;
    return starts;
  }

  /** 0-based line number containing the offset. */
  lineOf(offset: number): number {
    const starts = this.#lineStarts();
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((starts[mid] ?? 0) <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  /** 1-based line and column of an offset, with `firstLine` as the number of line 0. */
  position(offset: number, firstLine = 1): { line: number; column: number } {
    const line = this.lineOf(offset);
    return { line: line + firstLine, column: offset - (this.#lineStarts()[line] ?? 0) + 1 };
  }

  /** The text of the 0-based line (without its line break). */
  lineText(line: number): string {
    const starts = this.#lineStarts();
    const start = starts[line] ?? 0;
    const next = starts[line + 1];
    let end = next === undefined ? this.#text.length : next - 1;
    if (end > start && this.#text.charCodeAt(end - 1) === 13) end--;
    return this.#text.slice(start, end);
  }

  lineStart(line: number): number {
    return this.#lineStarts()[line] ?? 0;
  }
}

// Turning bytes into text the engine can scan, and offsets back into lines and columns.

export type TextEncoding = 'utf-8' | 'utf-16le' | 'utf-16be';
export type TextDecision = { kind: 'text'; text: string } | { kind: 'binary' };

const SNIFF_BYTES = 8000;

/**
 * How to read file bytes: UTF-16 LE/BE when a BOM says so, otherwise UTF-8 unless a NUL byte in
 * the first 8000 bytes says binary.
 */
export function sniffEncoding(bytes: Uint8Array): TextEncoding | 'binary' {
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) return 'utf-16le';
  if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff) return 'utf-16be';
  return bytes.subarray(0, SNIFF_BYTES).includes(0) ? 'binary' : 'utf-8';
}

/** Decode as the sniffed encoding; a BOM is dropped, so columns match what editors show. */
export function decodeAs(bytes: Uint8Array, encoding: TextEncoding): string {
  // Buffer#toString is several times faster than TextDecoder for large inputs.
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (encoding === 'utf-16le') return buffer.toString('utf16le', 2);
  if (encoding === 'utf-16be') return Buffer.from(buffer.subarray(2, 2 + ((buffer.length - 2) & ~1))).swap16().toString('utf16le');
  const hasBom = buffer.length >= 3 && buffer[0] === 0xef && buffer[1] === 0xbb && buffer[2] === 0xbf;
  return buffer.toString('utf8', hasBom ? 3 : 0);
}

export function decodeBytes(bytes: Uint8Array): TextDecision {
  const encoding = sniffEncoding(bytes);
  return encoding === 'binary' ? { kind: 'binary' } : { kind: 'text', text: decodeAs(bytes, encoding) };
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

  /** Offset of the line break ending the 0-based line (the text's length for the last line). */
  lineEnd(line: number): number {
    const next = this.#lineStarts()[line + 1];
    return next === undefined ? this.#text.length : next - 1;
  }
}

// Turning bytes into text the engine can scan, and offsets back into lines and columns.
import { isAscii, isUtf8 } from 'node:buffer';
import { binaryTextView } from './binaryText.js';

export type TextEncoding = 'utf-8' | 'utf-16le' | 'utf-16be';
export type TextDecision = { kind: 'text'; text: string } | { kind: 'binary' };

const SNIFF_BYTES = 8000;

/**
 * How to read file bytes: UTF-16 LE/BE when a BOM says so, or when the first 8000 bytes look like
 * UTF-16 text without one (a NUL in every other byte, the same side each time); otherwise UTF-8,
 * unless a NUL byte there says binary. Binary content is still scanned (its text runs), so this
 * decides how, never whether.
 */
export function sniffEncoding(bytes: Uint8Array): TextEncoding | 'binary' {
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) return 'utf-16le';
  if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff) return 'utf-16be';
  const head = bytes.subarray(0, SNIFF_BYTES);
  if (!head.includes(0)) return 'utf-8';
  return bareUtf16(head) ?? 'binary';
}

/**
 * UTF-16 without a BOM, as Windows tools write it: of the byte pairs, nearly all have a NUL on one
 * side (ASCII text) and almost none on the other. Binary formats have NULs on both sides.
 */
function bareUtf16(head: Uint8Array): TextEncoding | undefined {
  const pairs = head.length >> 1;
  if (pairs < 4) return undefined;
  let evenZero = 0;
  let oddZero = 0;
  for (let i = 0; i + 1 < head.length; i += 2) {
    if (head[i] === 0) evenZero++;
    if (head[i + 1] === 0) oddZero++;
  }
  if (oddZero >= pairs * 0.7 && evenZero <= pairs * 0.02) return 'utf-16le';
  if (evenZero >= pairs * 0.7 && oddZero <= pairs * 0.02) return 'utf-16be';
  return undefined;
}

/** Decode as the sniffed encoding; a BOM is dropped, so columns match what editors show. */
export function decodeAs(bytes: Uint8Array, encoding: TextEncoding): string {
  // Buffer#toString is several times faster than TextDecoder for large inputs.
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const bom = encoding !== 'utf-8' && buffer.length >= 2 && ((buffer[0] === 0xff && buffer[1] === 0xfe) || (buffer[0] === 0xfe && buffer[1] === 0xff)) ? 2 : 0;
  if (encoding === 'utf-16le') return buffer.toString('utf16le', bom);
  if (encoding === 'utf-16be') return Buffer.from(buffer.subarray(bom, bom + ((buffer.length - bom) & ~1))).swap16().toString('utf16le');
  return buffer.toString('utf8', hasUtf8Bom(buffer) ? 3 : 0);
}

/**
 * The text as valid UTF-8 bytes without a byte-order mark, for the engine. Valid UTF-8 (nearly
 * every file) is used as it is, never turned into a string; invalid sequences become U+FFFD, as
 * decodeAs reads them, and UTF-16 is transcoded.
 */
export function asUtf8(bytes: Uint8Array, encoding: TextEncoding): Buffer {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (encoding === 'utf-8') {
    const body = hasUtf8Bom(buffer) ? buffer.subarray(3) : buffer;
    if (isUtf8(body)) return body;
  }
  return Buffer.from(decodeAs(buffer, encoding), 'utf8');
}

/** The bytes the engine reads: text as UTF-8, binary content as its text runs (binaryText.ts). */
export function engineText(content: Uint8Array): Buffer {
  const encoding = sniffEncoding(content);
  return encoding === 'binary' ? binaryTextView(content) : asUtf8(content, encoding);
}

function hasUtf8Bom(buffer: Buffer): boolean {
  return buffer.length >= 3 && buffer[0] === 0xef && buffer[1] === 0xbb && buffer[2] === 0xbf;
}

export function decodeBytes(bytes: Uint8Array): TextDecision {
  const encoding = sniffEncoding(bytes);
  return encoding === 'binary' ? { kind: 'binary' } : { kind: 'text', text: decodeAs(bytes, encoding) };
}

/**
 * Lines of UTF-8 text, addressed by byte offset: the engine matches on bytes (RE2 scans a Buffer
 * several times faster than a JS string, which it must re-encode) and turns offsets into 1-based
 * lines and UTF-16 columns (what editors and SARIF count) only for findings. Built lazily: most
 * fragments have no findings.
 */
export class LineIndex {
  readonly #bytes: Buffer;
  /** Pure ASCII: a byte offset is also a column offset. */
  readonly ascii: boolean;
  #starts: number[] | undefined;
  /** The last column worked out, so columns along one long line cost the distance walked, not the line. */
  #cursor = { line: -1, offset: 0, column: 0 };

  constructor(bytes: Buffer, ascii = isAscii(bytes)) {
    this.#bytes = bytes;
    this.ascii = ascii;
  }

  get length(): number {
    return this.#bytes.length;
  }

  #lineStarts(): number[] {
    if (this.#starts) return this.#starts;
    const starts = [0];
    const bytes = this.#bytes;
    for (let i = bytes.indexOf(10); i !== -1; i = bytes.indexOf(10, i + 1)) starts.push(i + 1);
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

  /** 1-based line and UTF-16 column of a byte offset, with `firstLine` as the number of line 0. */
  position(offset: number, firstLine = 1): { line: number; column: number } {
    const line = this.lineOf(offset);
    return { line: line + firstLine, column: this.#column(line, offset) };
  }

  #column(line: number, offset: number): number {
    const start = this.lineStart(line);
    if (this.ascii) return offset - start + 1;
    const cursor = this.#cursor;
    const from = cursor.line === line && cursor.offset <= offset ? cursor : { line, offset: start, column: 1 };
    const column = from.column + this.#bytes.toString('utf8', from.offset, offset).length;
    this.#cursor = { line, offset, column };
    return column;
  }

  /**
   * The text after `needle` (ASCII) on the 0-based line, at most `maxBytes` of it; undefined when
   * the line does not hold it.
   */
  textAfter(line: number, needle: string, maxBytes: number): string | undefined {
    const start = this.lineStart(line);
    const end = this.lineEnd(line);
    const at = this.#bytes.subarray(start, end).indexOf(needle, 0, 'latin1');
    if (at === -1) return undefined;
    const from = start + at + needle.length;
    return this.#bytes.toString('utf8', from, this.charStart(Math.min(end, from + maxBytes)));
  }

  lineStart(line: number): number {
    return this.#lineStarts()[line] ?? 0;
  }

  /** The line last looked up by offset: [its first byte, the offset of the break ending it]. */
  #near: [number, number] = [0, -1];

  /**
   * The start and end (as lineStart and lineEnd give them) of the line holding a byte offset,
   * found by searching for the breaks around it: windows need only the lines near keywords, and
   * a table of every line's start took 65% of the engine's allocations on real npm packages.
   * The last line found is kept, so many keywords on one long minified line cost one search.
   */
  #lineAround(offset: number): [number, number] {
    const near = this.#near;
    if (offset >= near[0] && offset <= near[1]) return near;
    const bytes = this.#bytes;
    const start = offset === 0 ? 0 : bytes.lastIndexOf(10, offset - 1) + 1;
    const next = bytes.indexOf(10, offset);
    return (this.#near = [start, next === -1 ? bytes.length : next]);
  }

  /** The first byte of the line holding the offset. */
  lineStartAt(offset: number): number {
    return this.#lineAround(offset)[0];
  }

  /** The offset of the line break ending the line that holds the offset (the text's length for the last line). */
  lineEndAt(offset: number): number {
    return this.#lineAround(offset)[1];
  }

  /** Offset of the line break ending the 0-based line (the text's length for the last line). */
  lineEnd(line: number): number {
    const next = this.#lineStarts()[line + 1];
    return next === undefined ? this.#bytes.length : next - 1;
  }

  /** The offset moved back to the first byte of the character holding it. */
  charStart(offset: number): number {
    const bytes = this.#bytes;
    while (offset > 0 && offset < bytes.length && ((bytes[offset] ?? 0) & 0xc0) === 0x80) offset--;
    return offset;
  }

  /** The offset moved on past the rest of the character it falls inside. */
  charEnd(offset: number): number {
    const bytes = this.#bytes;
    while (offset < bytes.length && ((bytes[offset] ?? 0) & 0xc0) === 0x80) offset++;
    return offset;
  }
}

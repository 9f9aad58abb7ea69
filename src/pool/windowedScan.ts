// Content too big to hold whole (a 2 GB log, a database dump) is scanned in bounded windows that
// overlap by more than any match can reach, so it is never a hiding place and memory stays at
// one window. Bytes arrive in chunks (a file read piece by piece, a git blob streamed) and are
// copied once, into one buffer reused for every window; each window is scanned as a fragment
// whose first line is the window's line in the whole content.
import { binaryTextView } from '../engine/binaryText.js';
import { RepeatCollapser, type Engine } from '../engine/detect.js';
import { LineIndex, engineText, sniffEncoding } from '../engine/text.js';
import type { Finding, FragmentOrigin, Position } from '../types.js';

/**
 * Content up to this size is read and scanned whole; bigger files and blobs are streamed through
 * a WindowedScanner, so no scan holds more than this (plus a window) of one file.
 */
export const WHOLE_CONTENT_BYTES = 32 * 1024 * 1024;

/** Bytes each window adds; the first window also decides how the content is read (text or binary). */
export const WINDOW_BYTES = 8 * 1024 * 1024;
/**
 * Bytes a window shares with each neighbour: more than a rule's reach (2,048 characters around a
 * keyword, at most 3 bytes each) plus the longest secret, so a match near a boundary is whole,
 * with its context, in the window that owns it. Even, so UTF-16 stays aligned.
 */
export const OVERLAP_BYTES = 64 * 1024;

/**
 * Each window owns the findings that start in its middle: after the overlap it repeats from the
 * window before (the context a match there needs) and before the overlap it shares with the next
 * (the rest of a match that starts near its end). So every occurrence is found once and whole,
 * with its context, and a key cut at a window's edge is never reported.
 */
export class WindowedScanner {
  readonly #window: Buffer;
  /** Bytes of #window in use. */
  #filled = 0;
  /** Absolute offset of #window's first byte. */
  #start = 0;
  /** Newlines before #start, and the offset just past the last of them. */
  #linesBefore = 0;
  #lineStart = 0;
  /** Decided by the first window: text, or binary (also UTF-16, whose text the binary view reads). */
  #binary: boolean | undefined;
  #bytes = 0;
  readonly #found = new RepeatCollapser();

  constructor(
    private readonly engine: Engine,
    private readonly origin: FragmentOrigin,
    windowBytes = WINDOW_BYTES,
    private readonly overlapBytes = OVERLAP_BYTES,
  ) {
    this.#window = Buffer.allocUnsafe(windowBytes + 2 * overlapBytes);
  }

  push(chunk: Uint8Array): void {
    this.#bytes += chunk.byteLength;
    let from = 0;
    while (from < chunk.byteLength) {
      const n = Math.min(chunk.byteLength - from, this.#window.length - this.#filled);
      this.#window.set(chunk.subarray(from, from + n), this.#filled);
      this.#filled += n;
      from += n;
      if (this.#filled === this.#window.length) this.#scanAndSlide();
    }
  }

  /** Scan what is left; the findings of the whole content, in order, each occurrence once. */
  end(): { bytes: number; findings: Finding[] } {
    if (this.#filled > 0) this.#scan(this.#window.subarray(0, this.#filled), this.#ownedFrom(), this.#filled);
    this.#filled = 0;
    return { bytes: this.#bytes, findings: this.#found.kept };
  }

  /** The first window owns from its start; later ones from the end of what they repeat. */
  #ownedFrom(): number {
    return this.#start === 0 ? 0 : this.overlapBytes;
  }

  /** Scan the full window, then keep its last two overlaps at the front for the next one. */
  #scanAndSlide(): void {
    const size = this.#window.length;
    this.#scan(this.#window, this.#ownedFrom(), size - this.overlapBytes);
    const keepFrom = size - 2 * this.overlapBytes;
    this.#advance(this.#window.subarray(0, keepFrom));
    this.#window.copyWithin(0, keepFrom);
    this.#filled = 2 * this.overlapBytes;
  }

  #scan(window: Buffer, ownedFrom: number, ownedTo: number): void {
    this.#binary ??= sniffEncoding(window) !== 'utf-8';
    const clean = this.#binary ? !this.engine.mayContainSecretsInBinary(window) : !this.engine.mayContainSecrets(window);
    if (!clean) this.#detect(window, ownedFrom, ownedTo);
  }

  /** Count the lines of the bytes let go. */
  #advance(dropped: Buffer): void {
    for (let i = dropped.indexOf(10); i !== -1; i = dropped.indexOf(10, i + 1)) {
      this.#linesBefore++;
      this.#lineStart = this.#start + i + 1;
    }
    this.#start += dropped.length;
  }

  /** Detect on the window; keep the findings that start in [ownedFrom, ownedTo). */
  #detect(window: Buffer, ownedFrom: number, ownedTo: number): void {
    const startLine = this.#linesBefore + 1;
    // A window that starts mid-line: its first line's columns count from the line's real start
    // (in bytes; exact for ASCII, which is what lines this long are).
    const columnShift = this.#start - this.#lineStart;
    const text = this.#binary ? binaryTextView(window) : engineText(window);
    const lines = new LineIndex(text);
    const at = (offset: number) => (offset < text.length ? lines.position(lines.charStart(offset), startLine) : undefined);
    const from = at(ownedFrom);
    const to = at(ownedTo);
    const before = (a: Position, b: Position | undefined) => b !== undefined && (a.line < b.line || (a.line === b.line && a.column < b.column));
    const shift = (p: Position) => (p.line === startLine ? { line: p.line, column: p.column + columnShift } : p);
    for (const f of this.engine.detectUtf8({ ...this.origin, startLine }, text, { collapse: false })) {
      if ((from && before(f.start, from)) || (to && !before(f.start, to))) continue;
      f.start = shift(f.start);
      f.end = shift(f.end);
      this.#found.add(f);
    }
  }
}

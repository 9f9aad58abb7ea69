// Secrets hidden one encoding away: base64 values in Kubernetes Secrets, Basic auth headers,
// CI variables. Each base64-looking token is decoded; if it gives readable text, the rules run on
// "<the line before the token> + <decoded text>" so context like `Authorization: Basic` or
// `SEGMENT_WRITE_KEY:` still counts, and findings are placed on the encoded token.

import type { LineIndex } from './text.js';
import { type KeywordPositions, MAX_BYTES_PER_CHAR, type Range, windowsAround } from './windows.js';

const MIN_TOKEN_LENGTH = 16;
const MAX_TOKEN_LENGTH = 4096;
const MIN_DECODED_LENGTH = 8;
const MAX_CONTEXT = 256;

/**
 * Base64 of the distinctive prefixes (sgp_, sg_, segmen, SEGMEN), as they start an encoded value. The byte prefilter looks for
 * these too, so a file whose only trace of a key is `c2dwX…` (base64 of `sgp_…`) is still decoded.
 */
export const ENCODED_PREFIX_KEYWORDS = ['c2dwX', 'c2df', 'c2VnbWVu', 'U0VHTUVO'];

export interface DecodedView {
  /** Byte offsets of the encoded token in the fragment's UTF-8 text. */
  tokenStart: number;
  tokenEnd: number;
  /** The raw line text before the token, then the decoded text. */
  text: string;
  /** Where the decoded part starts in `text`. */
  decodedStart: number;
}

function isReadable(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x20 && c !== 9 && c !== 10 && c !== 13) return false;
    if (c === 0x7f || c === 0xfffd) return false;
  }
  return true;
}

const BASE64_VALUE = new Int8Array(256).fill(-1);
for (const [i, c] of [...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'].entries()) BASE64_VALUE[c.charCodeAt(0)] = i;

/**
 * Does the base64 token at bytes[start, end) decode to readable text, as decodeToken decides
 * (valid UTF-8, no control characters, DEL or U+FFFD, at least MIN_DECODED_LENGTH UTF-16 units)?
 * Worked out on the bytes as they decode, stopping at the first that fails, with nothing
 * allocated: most tokens near keywords are identifiers (`getElementsByTagName`) that decode to
 * binary within a few bytes, and only the rest are decoded into strings.
 */
export function decodesReadable(bytes: Uint8Array, start: number, end: number): boolean {
  let body = end;
  while (body > start && bytes[body - 1] === 0x3d) body--; // `=` padding
  if ((body - start) % 4 === 1) return false;
  let bits = 0;
  let count = 0;
  let need = 0; // continuation bytes the current character still needs
  let lower = 0x80;
  let upper = 0xbf;
  let codePoint = 0;
  let units = 0;
  for (let i = start; i < body; i++) {
    bits = ((bits << 6) | (BASE64_VALUE[bytes[i] as number] as number)) & 0xffffff;
    count += 6;
    if (count < 8) continue;
    count -= 8;
    const byte = (bits >> count) & 0xff;
    if (need > 0) {
      if (byte < lower || byte > upper) return false;
      lower = 0x80;
      upper = 0xbf;
      codePoint = (codePoint << 6) | (byte & 0x3f);
      if (--need > 0) continue;
      if (codePoint === 0xfffd) return false;
      units += codePoint >= 0x10000 ? 2 : 1;
    } else if (byte < 0x80) {
      if ((byte < 0x20 && byte !== 9 && byte !== 10 && byte !== 13) || byte === 0x7f) return false;
      units++;
    } else if (byte >= 0xc2 && byte <= 0xdf) {
      need = 1;
      codePoint = byte & 0x1f;
    } else if (byte >= 0xe0 && byte <= 0xef) {
      need = 2;
      codePoint = byte & 0x0f;
      if (byte === 0xe0) lower = 0xa0;
      if (byte === 0xed) upper = 0x9f; // no surrogates
    } else if (byte >= 0xf0 && byte <= 0xf4) {
      need = 3;
      codePoint = byte & 0x07;
      if (byte === 0xf0) lower = 0x90;
      if (byte === 0xf4) upper = 0x8f; // nothing past U+10FFFF
    } else {
      return false; // a continuation byte with no lead, or a byte UTF-8 never uses
    }
  }
  return need === 0 && units >= MIN_DECODED_LENGTH;
}

export function decodeToken(token: string): string | undefined {
  const body = token.replace(/=+$/, '');
  if (body.length % 4 === 1) return undefined; // not valid base64 at any padding
  // Invalid UTF-8 decodes to U+FFFD, which isReadable rejects.
  const text = Buffer.from(body, 'base64').toString('utf8');
  return text.length >= MIN_DECODED_LENGTH && isReadable(text) ? text : undefined;
}

/** Each byte's part in base64 text: 0 none, else a bit for upper case, lower case, other (digits, `+`, `/`). */
const BASE64_CLASS = new Uint8Array(256).map((_, c) => (c >= 65 && c <= 90 ? 1 : c >= 97 && c <= 122 ? 2 : (c >= 48 && c <= 57) || c === 43 || c === 47 ? 4 : 0));

/** The fewest base64 characters a token holds: MIN_TOKEN_LENGTH, less up to two `=` of padding. */
const MIN_RUN = MIN_TOKEN_LENGTH - 2;

/**
 * Runs of base64 characters (with `=` padding) of a plausible length in bytes[from, to): UTF-8
 * text, where every byte of a non-ASCII character is >= 0x80 and so never taken for base64. A
 * hand-written linear scan over a byte table: it runs on every candidate file, and a per-match
 * regex call costs more than the whole scan. It looks MIN_RUN - 1 bytes ahead first: where that
 * byte is not base64, no token can start before it (its run would be too short), so code made of
 * short words is crossed a dozen bytes at a time (built bundles spent an eighth of their scan here).
 */
export function* base64Tokens(bytes: Uint8Array, from = 0, to = bytes.length): Generator<[number, number]> {
  // Invariant: i is `from` or just past a byte that is not base64, so a run starts no earlier.
  let i = from;
  while (i + MIN_RUN <= to) {
    const probe = i + MIN_RUN - 1;
    if (BASE64_CLASS[bytes[probe] as number] === 0) {
      i = probe + 1;
      continue;
    }
    let start = probe;
    while (start > i && BASE64_CLASS[bytes[start - 1] as number] !== 0) start--;
    let seen = 0;
    let end = start;
    for (let c: number; end < to && (c = BASE64_CLASS[bytes[end] as number] as number) !== 0; end++) seen |= c;
    const runEnd = end;
    while (end < to && end - runEnd < 2 && bytes[end] === 61) end++;
    const length = end - start;
    // Encoded text has both cases; hex hashes and words in one case are not worth decoding.
    if (length >= MIN_TOKEN_LENGTH && length <= MAX_TOKEN_LENGTH && (seen & 3) === 3) yield [start, end];
    // Past the run (and its padding): the byte there is not base64, or the text ends.
    i = end === runEnd ? end + 1 : end;
  }
}

/** Lines longer than this (minified code) are searched only near the keyword. */
const WINDOW = 4096;

/**
 * Where decoding is worth trying: lines that name a rule keyword (`Authorization: Basic …`,
 * `SEGMENT_WRITE_KEY: …` in a Kubernetes Secret) and values that start with an encoded
 * Segment prefix. Returns merged [start, end) byte ranges of the text.
 */
function candidateRanges(keywords: readonly string[], positions: KeywordPositions, lines: LineIndex): Range[] {
  const at = [
    ...keywords.flatMap((k) => positions.of(k)),
    ...ENCODED_PREFIX_KEYWORDS.flatMap((p) => positions.of(p)),
  ];
  return windowsAround(at, lines, WINDOW, true);
}

/**
 * The line before a token, as the rules see it: at most MAX_CONTEXT characters, from the start of
 * the line. Enough bytes are decoded for MAX_CONTEXT characters of any text.
 */
function contextBefore(utf8: Buffer, lines: LineIndex, tokenStart: number): string {
  const from = lines.charStart(Math.max(0, tokenStart - (lines.ascii ? MAX_CONTEXT : MAX_CONTEXT * MAX_BYTES_PER_CHAR)));
  const before = utf8.toString('utf8', from, tokenStart);
  const capped = before.length > MAX_CONTEXT ? before.slice(before.length - MAX_CONTEXT) : before;
  return capped.slice(capped.lastIndexOf('\n') + 1);
}

/** Base64 tokens near keywords in UTF-8 text that decode to readable text, each with its context. */
export function* base64Views(utf8: Buffer, keywords: readonly string[], positions: KeywordPositions, lines: LineIndex): Generator<DecodedView> {
  for (const [from, to] of candidateRanges(keywords, positions, lines)) {
    for (const [start, end] of base64Tokens(utf8, from, to)) {
      if (!decodesReadable(utf8, start, end)) continue;
      const decoded = decodeToken(utf8.toString('latin1', start, end));
      if (decoded === undefined) continue;
      const prefix = contextBefore(utf8, lines, start);
      yield { tokenStart: start, tokenEnd: end, text: prefix + decoded, decodedStart: prefix.length };
    }
  }
}

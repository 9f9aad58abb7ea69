// Alternatives to two hot spots of the engine, measured by bench/profile.mjs beside the real
// code so a proposed change comes with numbers. They are experiments, not segscan code: the
// engine in src/ stays the reference for behaviour.
import RE2 from 're2';

const escape = (s) => s.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&');

/**
 * Which keywords occur, in one RE2 pass over the raw bytes instead of one String#includes per
 * keyword. Overlapping occurrences are found by restarting one byte after each match start.
 */
export function keywordScanner(keywords) {
  const sorted = [...new Set(keywords)].sort((a, b) => b.length - a.length);
  const re = new RE2(`(?i:${sorted.map(escape).join('|')})`, 'g');
  return (bytes) => {
    const found = new Set();
    re.lastIndex = 0;
    for (let m = re.exec(bytes); m; m = re.exec(bytes)) {
      const hit = m[0].toString('latin1').toLowerCase();
      for (const k of sorted) if (hit.includes(k)) found.add(k);
      if (found.size === sorted.length) break;
      re.lastIndex = m.index + 1;
    }
    return found;
  };
}

const WINDOW = 4096;
const MAX_CONTEXT = 256;
const ENCODED_PREFIX_KEYWORDS = ['c2dwX', 'c2df', 'c2VnbWVu', 'U0VHTUVO'];

/** Start of the line holding `at`, looking back at most `limit` characters. */
function lineStartWithin(text, at, limit) {
  const from = Math.max(0, at - limit);
  for (let i = at - 1; i >= from; i--) if (text.charCodeAt(i) === 10) return i + 1;
  return from;
}

function lineEndWithin(text, at, limit) {
  const to = Math.min(text.length, at + limit);
  for (let i = at; i < to; i++) if (text.charCodeAt(i) === 10) return i;
  return to;
}

function isReadable(text) {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x20 && c !== 9 && c !== 10 && c !== 13) return false;
    if (c === 0x7f || c === 0xfffd) return false;
  }
  return true;
}

function decodeToken(token) {
  const body = token.replace(/=+$/, '');
  if (body.length % 4 === 1) return undefined;
  const text = Buffer.from(body, 'base64').toString('utf8');
  return text.length >= 8 && isReadable(text) ? text : undefined;
}

/**
 * base64Views with the line-boundary search around each keyword bounded by the window (the
 * engine's version scans to the real line start and end, which on a multi-megabyte minified line
 * costs megabytes per keyword occurrence).
 */
export function* boundedBase64Views(text, lowerText, keywords, base64Tokens) {
  const ranges = [];
  const around = (at) => ranges.push([lineStartWithin(text, at, WINDOW), lineEndWithin(text, at, WINDOW)]);
  for (const k of keywords) for (let at = lowerText.indexOf(k); at !== -1; at = lowerText.indexOf(k, at + k.length)) around(at);
  for (const p of ENCODED_PREFIX_KEYWORDS) for (let at = text.indexOf(p); at !== -1; at = text.indexOf(p, at + p.length)) around(at);
  ranges.sort((a, b) => a[0] - b[0]);
  const merged = [];
  for (const r of ranges) {
    const last = merged[merged.length - 1];
    if (last && r[0] <= last[1]) last[1] = Math.max(last[1], r[1]);
    else merged.push([r[0], r[1]]);
  }
  for (const [from, to] of merged) {
    for (const [relStart, relEnd] of base64Tokens(text.slice(from, to))) {
      const start = from + relStart;
      const end = from + relEnd;
      const decoded = decodeToken(text.slice(start, end));
      if (decoded === undefined) continue;
      const lineStart = lineStartWithin(text, start, MAX_CONTEXT);
      const prefix = text.slice(lineStart, start);
      yield { tokenStart: start, tokenEnd: end, text: prefix + decoded, decodedStart: prefix.length };
    }
  }
}

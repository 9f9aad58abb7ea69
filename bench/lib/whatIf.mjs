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

const MAX_CONTEXT = 256;
const ENCODED_PREFIX_KEYWORDS = ['c2dwX', 'c2df', 'c2VnbWVu', 'U0VHTUVO'];

const isB64 = (c) => (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 43 || c === 47;

/** Start of the line holding `at`, looking back at most `limit` characters. */
function lineStartWithin(text, at, limit) {
  const from = Math.max(0, at - limit);
  for (let i = at - 1; i >= from; i--) if (text.charCodeAt(i) === 10) return i + 1;
  return from;
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
 * One RE2 pass over the text: every keyword occurrence (non-overlapping, longest alternative
 * first) as [start, end] offsets in the string, and which keywords occur. Replaces both the
 * per-keyword includes of the rule selection and the per-keyword indexOf loops of base64Views.
 */
export function keywordOccurrences(keywords) {
  const sorted = [...new Set(keywords)].sort((a, b) => b.length - a.length);
  const re = new RE2(`(?i:${sorted.map(escape).join('|')})|${ENCODED_PREFIX_KEYWORDS.map(escape).join('|')}`, 'g');
  return (text) => {
    const hits = [];
    const found = new Set();
    re.lastIndex = 0;
    for (let m = re.exec(text); m; m = re.exec(text)) {
      hits.push(m.index, m.index + m[0].length);
      const lower = m[0].toLowerCase();
      for (const k of sorted) if (lower.includes(k)) found.add(k);
    }
    return { hits, found };
  };
}

/** contextBase64Views driven by keywordOccurrences' hits instead of indexOf loops. */
export function* hitsBase64Views(text, hits) {
  const n = text.length;
  let scanned = 0;
  for (let h = 0; h < hits.length; h += 2) {
    // An encoded prefix starts the token itself; a keyword precedes it.
    const s = hits[h + 1];
    let i = Math.max(hits[h], scanned);
    const limit = Math.min(n, s + MAX_CONTEXT);
    while (i < limit) {
      const c = text.charCodeAt(i);
      if (c === 10 && i >= s) break;
      if (!isB64(c) || (i > 0 && i !== hits[h] && isB64(text.charCodeAt(i - 1)))) {
        i++;
        continue;
      }
      let end = i;
      let upper = false;
      let lower = false;
      while (end < n && end - i <= 4096 && isB64(text.charCodeAt(end))) {
        const d = text.charCodeAt(end);
        if (d >= 65 && d <= 90) upper = true;
        else if (d >= 97 && d <= 122) lower = true;
        end++;
      }
      let stop = end;
      while (stop < n && stop - end < 2 && text.charCodeAt(stop) === 61) stop++;
      if (stop - i >= 16 && stop - i <= 4096 && upper && lower) {
        const decoded = decodeToken(text.slice(i, stop));
        if (decoded !== undefined) {
          const lineStart = lineStartWithin(text, i, MAX_CONTEXT);
          const prefix = text.slice(lineStart, i);
          yield { tokenStart: i, tokenEnd: stop, text: prefix + decoded, decodedStart: prefix.length };
        }
      }
      i = Math.max(stop, i + 1);
    }
    scanned = Math.max(scanned, i);
  }
}

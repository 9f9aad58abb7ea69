// Secrets hidden one encoding away: base64 values in Kubernetes Secrets, Basic auth headers,
// CI variables. Each base64-looking token is decoded; if it gives readable text, the rules run on
// "<the line before the token> + <decoded text>" so context like `Authorization: Basic` or
// `SEGMENT_WRITE_KEY:` still counts, and findings are placed on the encoded token.
import { compilePattern } from './regex.js';

const BASE64_TOKEN = compilePattern('[A-Za-z0-9+/]{16,}={0,2}');
const MAX_TOKEN_LENGTH = 4096;
const MIN_DECODED_LENGTH = 8;
const MAX_CONTEXT = 256;
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

export interface DecodedView {
  /** Offsets of the encoded token in the fragment text. */
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

function decodeToken(token: string): string | undefined {
  const body = token.replace(/=+$/, '');
  if (body.length % 4 === 1) return undefined; // not valid base64 at any padding
  let text: string;
  try {
    text = strictUtf8.decode(Buffer.from(body, 'base64'));
  } catch {
    return undefined;
  }
  return text.length >= MIN_DECODED_LENGTH && isReadable(text) ? text : undefined;
}

export function* base64Views(text: string): Generator<DecodedView> {
  for (const m of BASE64_TOKEN.matches(text, 0)) {
    if (m.end - m.start > MAX_TOKEN_LENGTH) continue;
    const decoded = decodeToken(m.groupText);
    if (decoded === undefined) continue;
    // Context is the line before the token, capped so a minified line can't blow it up.
    const lineStart = Math.max(text.lastIndexOf('\n', m.start - 1) + 1, m.start - MAX_CONTEXT);
    const prefix = text.slice(lineStart, m.start);
    yield { tokenStart: m.start, tokenEnd: m.end, text: prefix + decoded, decodedStart: prefix.length };
  }
}

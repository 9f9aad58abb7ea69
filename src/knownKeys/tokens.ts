// Finding a workspace's own write keys in raw bytes, whatever surrounds them: every maximal run of
// letters and digits whose length is that of a known key is hashed and looked up. Only hashes are
// held, so nothing here can leak a key, and a token that is not a known key costs one hash.

import { hash } from 'node:crypto';
import { KEY_CHAR, forEachAlnumRun } from '../engine/tokenRuns.js';
import type { KnownKeySource } from '../types.js';
import type { KnownKeyIndex } from './file.js';

/** Old write keys are 10 characters, all lower case or digits. */
const LEGACY_LENGTH = 10;
const MAX_KEY_LENGTH = 32;

export interface KnownKeyHit {
  /** Byte offsets of the key in the scanned bytes. */
  start: number;
  end: number;
  sha256: string;
  source: KnownKeySource;
}

export interface KnownKeyMatcher {
  /** The source a secret's SHA-256 belongs to, if it is a known key. */
  sourceOf(sha256: string): KnownKeySource | undefined;
  /** Every known key in the bytes (valid for ASCII-compatible encodings). */
  hits(bytes: Uint8Array): KnownKeyHit[];
  /** Whether any known key occurs: stops at the first. */
  occursIn(bytes: Uint8Array): boolean;
}

/** Could bytes[start, end) be an old key: lower case and digits, with a digit unless `digitless` ones exist? */
function legacyShaped(bytes: Uint8Array, start: number, end: number, digitless: boolean): boolean {
  let digit = digitless;
  for (let i = start; i < end; i++) {
    const c = KEY_CHAR[bytes[i]!];
    if (c === 2) return false;
    if (c === 3) digit = true;
  }
  return digit;
}

export function createKnownKeyMatcher(index: KnownKeyIndex): KnownKeyMatcher {
  const bySha = new Map(index.entries);
  // A table rather than a Set: it is asked once for every run the scan measures.
  const wanted = new Uint8Array(MAX_KEY_LENGTH + 1);
  for (const length of index.lengths) if (length <= MAX_KEY_LENGTH) wanted[length] = 1;
  const minLength = Math.min(...index.lengths);
  const digitless = index.legacyWithoutDigit;

  /** Calls `found` for each known key in order (each run of a known key's length); stops when it returns true. */
  function scan(bytes: Uint8Array, found: (hit: KnownKeyHit) => boolean): void {
    if (bySha.size === 0) return;
    forEachAlnumRun(bytes, 0, bytes.length, minLength, (start, end) => {
      const length = end - start;
      if (length > MAX_KEY_LENGTH || wanted[length] !== 1 || (length === LEGACY_LENGTH && !legacyShaped(bytes, start, end, digitless))) return false;
      const sha256 = hash('sha256', bytes.subarray(start, end), 'hex');
      const source = bySha.get(sha256);
      return source !== undefined && found({ start, end, sha256, source });
    });
  }

  return {
    sourceOf: (sha256) => bySha.get(sha256),
    hits(bytes) {
      const out: KnownKeyHit[] = [];
      scan(bytes, (hit) => {
        out.push(hit);
        return false;
      });
      return out;
    },
    occursIn(bytes) {
      let any = false;
      scan(bytes, () => (any = true));
      return any;
    },
  };
}

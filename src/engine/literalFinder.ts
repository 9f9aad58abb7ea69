// Every occurrence of a set of keywords in bytes, at the speed of a literal search: the first pass
// over every file and blob. A SIMD filter (anchorFilterModule.ts) looks at 16 bytes per step for
// three bytes of each keyword (its rarest three in real code), and each place it marks is checked
// here byte by byte. On 395 MB of real npm packages that pass the keyword gate this takes a
// fraction of the time RE2 took to find the same positions (README, "Speed").
import { BUCKETS, OUTPUT, TABLES, anchorFilterModule } from './anchorFilterModule.js';
import { RAREST_BAND, TRIGRAM_BANDS } from './codeTrigrams.js';

/** The share of positions in real code where three (folded) bytes occur (codeTrigrams.ts), by their 24-bit value. */
let trigramShares: Map<number, number> | undefined;
const RARE_SHARE = 2 ** -(RAREST_BAND + 2);

function trigramShare(a: number, b: number, c: number): number {
  if (!trigramShares) {
    trigramShares = new Map();
    for (const [band, text] of Object.entries(TRIGRAM_BANDS)) {
      for (let i = 0; i + 3 <= text.length; i += 3) trigramShares.set((text.charCodeAt(i) << 16) | (text.charCodeAt(i + 1) << 8) | text.charCodeAt(i + 2), 2 ** -(Number(band) + 0.5));
    }
  }
  return trigramShares.get((a << 16) | (b << 8) | c) ?? RARE_SHARE;
}

/** Bytes searched per call of the filter; each call starts with the keywords that end past it. */
const CHUNK = 64 * 1024;
const ANCHOR = 3;

const LOWER = new Uint8Array(256).map((_, b) => (b >= 0x41 && b <= 0x5a ? b + 0x20 : b));

interface Literal {
  /** The name hits are reported under: lower case for an any-case literal. */
  readonly text: string;
  readonly bytes: Buffer;
  /** The bytes with ASCII letters in lower case (the same as `bytes` for an any-case literal). */
  readonly folded: Buffer;
  readonly exact: boolean;
  /** Where in the literal its three anchor bytes start. */
  readonly anchor: number;
  /**
   * The literals that hold this one, each with where: they are looked for only where this one
   * occurs (every "segment…" keyword where "segment" is), so the filter has fewer to tell apart.
   */
  readonly holders: Array<[Literal, number]>;
}

/** The part of the WebAssembly API used here (the project's types describe Node, not the web). */
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object) => { exports: { memory: { buffer: ArrayBuffer }; filter: (from: number, to: number) => number } };
}
const { WebAssembly: wasm } = globalThis as unknown as { WebAssembly: WasmApi };

interface FilterInstance {
  readonly memory: Uint8Array;
  readonly output: Uint32Array;
  readonly filter: (from: number, to: number) => number;
}

export class LiteralFinder {
  readonly #buckets: Literal[][];
  readonly #longest: number;
  readonly #data: number;
  readonly #instance: FilterInstance;

  /**
   * A finder for these literals, or undefined where the filter cannot serve: a literal shorter than
   * its three anchor bytes, an any-case literal that is not ASCII (only ASCII case is folded), or a
   * runtime without WebAssembly SIMD. `anyCase` literals match in any ASCII case.
   */
  static create(anyCase: readonly string[], exactCase: readonly string[] = []): LiteralFinder | undefined {
    const folded = [...new Set(anyCase.map((l) => l.toLowerCase()))];
    const exact = [...new Set(exactCase)];
    const literals = [
      ...folded.map((text) => ({ text, bytes: Buffer.from(text, 'utf8'), exact: false })),
      ...exact.map((text) => ({ text, bytes: Buffer.from(text, 'utf8'), exact: true })),
    ].map((l) => ({ ...l, folded: Buffer.from(l.bytes.map((b) => LOWER[b] as number)) }));
    if (literals.length === 0 || literals.some((l) => l.bytes.length < ANCHOR || (!l.exact && l.bytes.some((b) => b >= 0x80)))) return undefined;
    try {
      return new LiteralFinder(literals.map((l) => ({ ...l, anchor: rarestAnchor(l.bytes), holders: [] })));
    } catch {
      return undefined;
    }
  }

  private constructor(literals: Literal[]) {
    // The filter looks for the literals that hold no other; each of the rest is held by one of them
    // (holding is transitive).
    const searched = literals.filter((literal) => !literals.some((inner) => holds(literal, inner) !== -1));
    for (const literal of literals) {
      const held = searched.find((inner) => holds(literal, inner) !== -1);
      if (held) held.holders.push([literal, holds(literal, held)]);
    }
    this.#buckets = assignBuckets(searched);
    this.#longest = Math.max(...literals.map((l) => l.bytes.length));
    const positions = CHUNK + this.#longest;
    this.#data = align16(OUTPUT + 8 * (positions + 16));
    const pages = Math.ceil((this.#data + positions + 64) / 65536);
    const { exports } = new wasm.Instance(new wasm.Module(anchorFilterModule(pages)));
    const memory = new Uint8Array(exports.memory.buffer);
    this.#instance = { memory, output: new Uint32Array(exports.memory.buffer), filter: exports.filter };
    this.#writeTables(memory);
  }

  #writeTables(memory: Uint8Array): void {
    this.#buckets.forEach((bucket, b) => {
      for (const literal of bucket) {
        for (let k = 0; k < ANCHOR; k++) {
          const byte = (literal.bytes[literal.anchor + k] as number) | 0x20;
          const table = TABLES + 16 * (6 * (b >> 3) + 2 * k);
          memory[table + (byte & 0x0f)] = (memory[table + (byte & 0x0f)] as number) | (1 << (b & 7));
          memory[table + 16 + (byte >> 4)] = (memory[table + 16 + (byte >> 4)] as number) | (1 << (b & 7));
        }
      }
    });
  }

  /**
   * Calls `onHit` for each occurrence of each literal that lies within [from, to), in order of
   * position for any one literal; stops when `onHit` returns false.
   */
  forEach(bytes: Uint8Array, onHit: (literal: string, at: number) => boolean | void, from = 0, to = bytes.length): void {
    const { memory, output, filter } = this.#instance;
    const data = this.#data;
    const buckets = this.#buckets;
    for (let chunk = from; chunk < to; chunk += CHUNK) {
      // A chunk owns the literals that start in it; it copies enough past its end to hold them.
      const owned = Math.min(to, chunk + CHUNK);
      const copied = Math.min(to, owned + this.#longest);
      memory.set(bytes.subarray(chunk, copied), data);
      const candidates = filter(data, data + (copied - chunk));
      for (let c = 0; c < candidates; c++) {
        const at = (output[(OUTPUT >> 2) + 2 * c] as number) - data + chunk;
        let mask = output[(OUTPUT >> 2) + 2 * c + 1] as number;
        while (mask !== 0) {
          const bucket = buckets[31 - Math.clz32(mask & -mask)] as Literal[];
          mask &= mask - 1;
          for (const literal of bucket) {
            const start = at - literal.anchor;
            if (start < chunk || start >= owned || start + literal.bytes.length > to) continue;
            if (!occursAt(bytes, start, literal)) continue;
            if (onHit(literal.text, start) === false) return;
            for (const [holder, offset] of literal.holders) {
              const at = start - offset;
              if (at >= from && at + holder.bytes.length <= to && occursAt(bytes, at, holder) && onHit(holder.text, at) === false) return;
            }
          }
        }
      }
    }
  }
}

/**
 * Where `outer` holds `inner` such that every occurrence of `outer` is one of `inner` (case taken
 * into account), or -1.
 */
function holds(outer: Literal, inner: Literal): number {
  if ((inner.exact && !outer.exact) || inner.bytes.length >= outer.bytes.length) return -1;
  return (inner.exact ? outer.bytes : outer.folded).indexOf(inner.bytes);
}

function occursAt(bytes: Uint8Array, start: number, literal: Literal): boolean {
  const want = literal.bytes;
  if (literal.exact) {
    for (let i = 0; i < want.length; i++) if (bytes[start + i] !== want[i]) return false;
  } else {
    for (let i = 0; i < want.length; i++) if (LOWER[bytes[start + i] as number] !== want[i]) return false;
  }
  return true;
}

const align16 = (n: number) => Math.ceil(n / 16) * 16;

/** The literal's anchor byte k, folded as the filter folds it. */
const anchorByte = (l: Literal, k: number) => (l.bytes[l.anchor + k] as number) | 0x20;

/** Where the literal's rarest three consecutive bytes start. */
function rarestAnchor(bytes: Uint8Array): number {
  let best = 0;
  let bestShare = Infinity;
  for (let at = 0; at + ANCHOR <= bytes.length; at++) {
    const share = trigramShare((bytes[at] as number) | 0x20, (bytes[at + 1] as number) | 0x20, (bytes[at + 2] as number) | 0x20);
    if (share < bestShare) [best, bestShare] = [at, share];
  }
  return best;
}

/**
 * Spread literals over the filter's buckets so that few places pass it: a bucket passes a byte
 * when both of the byte's nibbles are among its literals' nibbles there, so it passes every
 * mix of its literals' anchors, and literals whose anchors share nibbles belong together.
 * Greedy, commonest anchors first: each literal goes where the expected share of passing
 * positions, times the literals checked there, grows least.
 */
function assignBuckets(literals: readonly Literal[]): Literal[][] {
  const buckets: Literal[][] = Array.from({ length: BUCKETS }, () => []);
  // Per bucket and anchor byte, the nibbles its literals have there, as 16-bit sets.
  const lows = Array.from({ length: BUCKETS }, () => [0, 0, 0]);
  const highs = Array.from({ length: BUCKETS }, () => [0, 0, 0]);
  const bytesPassing = (low: number, high: number) => {
    const out: number[] = [];
    for (let h = 0; h < 16; h++) if (high & (1 << h)) for (let n = 0; n < 16; n++) if (low & (1 << n)) out.push((h << 4) | n);
    return out;
  };
  const cost = (low: readonly number[], high: readonly number[], literalsChecked: number) => {
    if (literalsChecked === 0) return 0;
    const [p0, p1, p2] = [0, 1, 2].map((k) => bytesPassing(low[k] as number, high[k] as number)) as [number[], number[], number[]];
    let share = 0;
    for (const a of p0) for (const b of p1) for (const c of p2) share += trigramShare(a, b, c);
    return share * literalsChecked;
  };
  const anchorShare = (l: Literal) => trigramShare(anchorByte(l, 0), anchorByte(l, 1), anchorByte(l, 2));
  for (const literal of [...literals].sort((a, b) => anchorShare(b) - anchorShare(a))) {
    let best = 0;
    let bestGrowth = Infinity;
    for (let b = 0; b < BUCKETS; b++) {
      const low = lows[b] as number[];
      const high = highs[b] as number[];
      const count = (buckets[b] as Literal[]).length;
      const lowWith = low.map((set, k) => set | (1 << (anchorByte(literal, k) & 0x0f)));
      const highWith = high.map((set, k) => set | (1 << (anchorByte(literal, k) >> 4)));
      const growth = cost(lowWith, highWith, count + 1) - cost(low, high, count);
      if (growth < bestGrowth) [best, bestGrowth] = [b, growth];
    }
    (buckets[best] as Literal[]).push(literal);
    const low = lows[best] as number[];
    const high = highs[best] as number[];
    for (let k = 0; k < ANCHOR; k++) {
      low[k] = (low[k] as number) | (1 << (anchorByte(literal, k) & 0x0f));
      high[k] = (high[k] as number) | (1 << (anchorByte(literal, k) >> 4));
    }
  }
  return buckets;
}

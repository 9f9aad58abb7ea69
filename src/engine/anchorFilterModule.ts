// The WebAssembly module behind LiteralFinder: a SIMD filter that marks where a keyword may occur,
// 16 bytes per step (the "Teddy" technique of Hyperscan and ripgrep). It is a few dozen
// instructions, so it is assembled here rather than built by a toolchain the install lacks.
//
// The memory holds, from byte 0:
//   TABLES   twelve 16-byte tables: for each of two sets of eight buckets and each of anchor bytes
//            0, 1 and 2, which buckets a byte's low nibble and its high nibble allow (a byte
//            allows a bucket when both of its nibbles do): table 6s + 2k + (0 low, 1 high);
//   SCRATCH  32 bytes for one step's bucket masks;
//   OUTPUT   the candidates, as pairs of u32: position, 16-bit bucket mask;
//   DATA     the bytes being searched (see LiteralFinder for the sizes).
// filter(from, to) looks at anchor positions [from, to) in DATA, with every byte folded to lower
// case by OR 0x20 (a superset of ASCII case folding: the finder checks each candidate exactly), and
// returns how many candidates it wrote. Bytes up to to + 18 are read, so DATA is padded.

export const TABLES = 0;
export const SCRATCH = 192;
export const OUTPUT = 256;
export const BUCKETS = 16;

const I32 = 0x7f;
const V128 = 0x7b;

/** Unsigned LEB128, the encoding of every integer in a module. */
function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let byte = n & 0x7f;
    n >>>= 7;
    if (n !== 0) byte |= 0x80;
    out.push(byte);
  } while (n !== 0);
  return out;
}

/** Signed LEB128, for i32.const. */
function sleb(n: number): number[] {
  const out: number[] = [];
  for (;;) {
    const byte = n & 0x7f;
    n >>= 7;
    const done = (n === 0 && (byte & 0x40) === 0) || (n === -1 && (byte & 0x40) !== 0);
    out.push(done ? byte : byte | 0x80);
    if (done) return out;
  }
}

const simd = (op: number) => [0xfd, ...uleb(op)];
// Instructions, by their names in the WebAssembly text format.
const op = {
  block: [0x02, 0x40],
  loop: [0x03, 0x40],
  if: [0x04, 0x40],
  end: [0x0b],
  br: (depth: number) => [0x0c, ...uleb(depth)],
  brIf: (depth: number) => [0x0d, ...uleb(depth)],
  get: (local: number) => [0x20, ...uleb(local)],
  set: (local: number) => [0x21, ...uleb(local)],
  i32: (value: number) => [0x41, ...sleb(value)],
  i32Load8u: (offset: number) => [0x2d, 0x00, ...uleb(offset)],
  i32Store: (offset: number) => [0x36, 0x02, ...uleb(offset)],
  i32Eqz: [0x45],
  i32LtU: [0x49],
  i32GeU: [0x4f],
  i32Ctz: [0x68],
  i32Add: [0x6a],
  i32Sub: [0x6b],
  i32And: [0x71],
  i32Or: [0x72],
  i32Shl: [0x74],
  v128Load: (offset: number) => [...simd(0x00), 0x00, ...uleb(offset)],
  v128Store: (offset: number) => [...simd(0x0b), 0x00, ...uleb(offset)],
  v128Splat8: (byte: number) => [...simd(0x0c), ...new Array<number>(16).fill(byte)],
  swizzle: simd(0x0e),
  i8x16Ne: simd(0x24),
  and: simd(0x4e),
  or: simd(0x50),
  anyTrue: simd(0x53),
  bitmask: simd(0x64),
  shrU: simd(0x6d),
};

// Locals: the two parameters, then i32s, then v128s.
const P = 0;
const TO = 1;
const COUNT = 2;
const BITS = 3;
const POS = 4;
const TABLE = (i: number) => 5 + i;
const LOW = 17; // each of the three anchor bytes' low nibbles
const HIGH = 20; // and high nibbles
const M = 23; // buckets 0-7
const N = 24; // buckets 8-15

/** Split the folded bytes at anchor offset k of position P into nibbles. */
function nibbles(k: number): number[] {
  return [
    ...op.get(P), ...op.v128Load(k), ...op.v128Splat8(0x20), ...op.or, ...op.set(HIGH + k),
    ...op.get(HIGH + k), ...op.v128Splat8(0x0f), ...op.and, ...op.set(LOW + k),
    ...op.get(HIGH + k), ...op.i32(4), ...op.shrU, ...op.set(HIGH + k),
  ];
}

/** The buckets of set s (0: 0-7, 1: 8-15) that the three anchor bytes allow. */
function allowed(s: number): number[] {
  const at = (k: number) => [
    ...op.get(TABLE(6 * s + 2 * k)), ...op.get(LOW + k), ...op.swizzle,
    ...op.get(TABLE(6 * s + 2 * k + 1)), ...op.get(HIGH + k), ...op.swizzle,
    ...op.and,
  ];
  return [...at(0), ...at(1), ...op.and, ...at(2), ...op.and];
}

function filterBody(): number[] {
  const code: number[] = [];
  for (let t = 0; t < 12; t++) code.push(...op.i32(0), ...op.v128Load(TABLES + 16 * t), ...op.set(TABLE(t)));
  code.push(
    ...op.block,
    ...op.loop,
    ...op.get(P), ...op.get(TO), ...op.i32GeU, ...op.brIf(1),
    ...nibbles(0), ...nibbles(1), ...nibbles(2),
    ...allowed(0), ...op.set(M), ...allowed(1), ...op.set(N),
    ...op.get(M), ...op.get(N), ...op.or, ...op.anyTrue,
    ...op.if,
    ...op.get(M), ...op.get(N), ...op.or, ...op.v128Splat8(0), ...op.i8x16Ne, ...op.bitmask, ...op.set(BITS),
    ...op.i32(0), ...op.get(M), ...op.v128Store(SCRATCH),
    ...op.i32(0), ...op.get(N), ...op.v128Store(SCRATCH + 16),
    ...op.block,
    ...op.loop,
    ...op.get(BITS), ...op.i32Eqz, ...op.brIf(1),
    ...op.get(P), ...op.get(BITS), ...op.i32Ctz, ...op.i32Add, ...op.set(POS),
    ...op.get(POS), ...op.get(TO), ...op.i32LtU,
    ...op.if,
    ...op.get(COUNT), ...op.i32(3), ...op.i32Shl, ...op.get(POS), ...op.i32Store(OUTPUT),
    ...op.get(COUNT), ...op.i32(3), ...op.i32Shl,
    ...op.get(BITS), ...op.i32Ctz, ...op.i32Load8u(SCRATCH),
    ...op.get(BITS), ...op.i32Ctz, ...op.i32Load8u(SCRATCH + 16), ...op.i32(8), ...op.i32Shl, ...op.i32Or,
    ...op.i32Store(OUTPUT + 4),
    ...op.get(COUNT), ...op.i32(1), ...op.i32Add, ...op.set(COUNT),
    ...op.end,
    ...op.get(BITS), ...op.get(BITS), ...op.i32(1), ...op.i32Sub, ...op.i32And, ...op.set(BITS),
    ...op.br(0),
    ...op.end,
    ...op.end,
    ...op.end,
    ...op.get(P), ...op.i32(16), ...op.i32Add, ...op.set(P),
    ...op.br(0),
    ...op.end,
    ...op.end,
    ...op.get(COUNT),
    ...op.end,
  );
  const locals = [...uleb(2), ...uleb(3), I32, ...uleb(20), V128];
  return [...uleb(locals.length + code.length), ...locals, ...code];
}

const text = (s: string) => [...uleb(s.length), ...Buffer.from(s, 'latin1')];
const section = (id: number, contents: number[]) => [id, ...uleb(contents.length), ...contents];

/** The module's bytes, with a memory of `pages` 64 KiB pages exported as "memory". */
export function anchorFilterModule(pages: number): Uint8Array {
  return Uint8Array.from([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, [1, 0x60, 2, I32, I32, 1, I32]),
    ...section(3, [1, 0]),
    ...section(5, [1, 0x01, ...uleb(pages), ...uleb(pages)]),
    ...section(7, [2, ...text('memory'), 0x02, 0, ...text('filter'), 0x00, 0]),
    ...section(10, [1, ...filterBody()]),
  ]);
}

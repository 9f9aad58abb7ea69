// Rule examples and test fixtures never hold a real-looking key in the repository: they hold
// templates such as {{alnum:32}} that are expanded with generated values at test time. The
// generator is seeded, so the same example always expands to the same text.

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const LOWER_ALNUM = 'abcdefghijklmnopqrstuvwxyz0123456789';
const HEX = '0123456789abcdef';
const B64URL = `${ALNUM}-_`;

/** Small deterministic PRNG (mulberry32) seeded from a string. */
export function seededRandom(seed: string): () => number {
  let h = 1779033703 ^ seed.length;
  for (let i = 0; i < seed.length; i++) {
    h = Math.imul(h ^ seed.charCodeAt(i), 3432918353);
    h = (h << 13) | (h >>> 19);
  }
  let state = h >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function pick(alphabet: string, length: number, random: () => number): string {
  let out = '';
  for (let i = 0; i < length; i++) out += alphabet[Math.floor(random() * alphabet.length)];
  return out;
}

/** Random [A-Za-z0-9]{length} that contains an upper, a lower and a digit, like real keys. */
export function randomAlnum(length: number, random: () => number): string {
  for (;;) {
    const s = pick(ALNUM, length, random);
    if (length < 3 || (/[A-Z]/.test(s) && /[a-z]/.test(s) && /[0-9]/.test(s))) return s;
  }
}

const GENERATORS: Record<string, (arg: string, random: () => number) => string> = {
  alnum: (n, r) => randomAlnum(Number(n), r),
  lower: (n, r) => pick(LOWER_ALNUM, Number(n), r),
  hex: (n, r) => pick(HEX, Number(n), r),
  b64url: (n, r) => pick(B64URL, Number(n), r),
  base64: (text) => Buffer.from(text, 'utf8').toString('base64'),
};

const INNERMOST = /\{\{([a-z0-9]+):([^{}]*)\}\}/;

/**
 * Expand {{alnum:N}}, {{lower:N}}, {{hex:N}}, {{b64url:N}} and {{base64:TEXT}} (innermost first,
 * so {{base64:{{alnum:32}}:}} encodes a generated key followed by a colon).
 */
export function expandTemplate(text: string, seed: string): string {
  const random = seededRandom(seed);
  let out = text;
  for (let m = INNERMOST.exec(out); m; m = INNERMOST.exec(out)) {
    const generate = GENERATORS[m[1] ?? ''];
    if (!generate) throw new Error(`unknown template {{${m[1]}:…}}`);
    out = out.slice(0, m.index) + generate(m[2] ?? '', random) + out.slice(m.index + m[0].length);
  }
  return out;
}

/** A set of generated fake credentials of every kind, for tests and fixtures. */
export function fakeCredentials(seed: string) {
  const r = seededRandom(seed);
  return {
    writeKey: randomAlnum(32, r),
    legacyWriteKey: pick(LOWER_ALNUM, 10, r),
    publicApiToken: `sgp_${randomAlnum(64, r)}`,
    configApiToken: `${pick(B64URL, 43, r)}.${pick(B64URL, 43, r)}`,
    sgKey: `sg_${randomAlnum(24, r)}`,
  };
}
export type FakeCredentials = ReturnType<typeof fakeCredentials>;

import { randomInt } from 'node:crypto';

/** A seeded PRNG (mulberry32): the same seed gives the same strings, so a failure replays. */
export type Rng = () => number;

export function seededRng(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** FUZZ_SEED replays a run; otherwise a fresh seed, which the test prints when it fails. */
export const fuzzSeed = (): number => {
  const given = process.env.FUZZ_SEED;
  if (given === undefined || given === '') return randomInt(2 ** 31);
  const seed = Number(given);
  if (!Number.isSafeInteger(seed)) throw new Error(`FUZZ_SEED must be an integer, got ${given}`);
  return seed;
};

export const pick = <T>(rng: Rng, items: readonly T[]): T => items[Math.floor(rng() * items.length)]!;
export const intBelow = (rng: Rng, n: number): number => Math.floor(rng() * n);

/** The pieces text is built from: each one a way text has broken a splitter, a parser or PostgreSQL. */
const POOLS: readonly (readonly string[])[] = [
  // astral emoji: surrogate pairs, with a skin-tone modifier and a variation selector
  ['😀', '🔥', '🛢️', '👍🏽', '🧯', '𝒜'],
  // lone surrogates (JSON's "\ud83d" alone), which jsonb refuses
  ['\ud83d', '\ude00', '\udbff', '\udc00'],
  // combining marks: a letter with its accents, and runs of accents on nothing
  ['e\u0301', '\u0301\u0301\u0301\u0301', '\u0300\u0301\u0302\u0303\u0308', 'a\u0328\u0301', '\u0301'.repeat(40)],
  // ZWJ sequences and a dangling joiner
  ['👨‍👩‍👧‍👦', '👩‍❤️‍💋‍👨', '🏳️‍🌈', '🧑🏽‍🔧', '\u200d'],
  // flags, and a lone regional indicator
  ['🇮🇳', '🇯🇵', '🇩🇪', '🇮'],
  // RTL text with bidi controls
  ['مرحبا بالعالم', 'שלום', '\u202e', '\u202d', '\u202c', '\u2067', '\u2069', '\u200f', '\u200e', 'زيت منخفض'],
  // NUL and other invisible characters
  ['\u0000', '\ufeff', '\u200b', '\u3164', '\u00a0'],
  // line breaks, tabs and runs of spaces
  ['\n', '\r\n', '\t', '     ', '\u2028'],
  // plain ASCII
  ['oil low', 'belt worn', 'x', ' ', '-', 'OK', 'fine 123'],
  // answer prefixes, so some raw text is read as an answer
  ['OK - ', 'NOT OK - ', 'NA', 'NA - ', 'not ok:', 'ok '],
];

/**
 * A random string of at most `max` UTF-16 units mixing the pools above. Lengths spread from empty to `max`
 * (a tenth are exactly `max`); the cut at the end may leave half a surrogate pair, on purpose.
 */
export function fuzzText(rng: Rng, max = 10_000): string {
  const r = rng();
  const length = r < 0.1 ? max : r < 0.3 ? intBelow(rng, 21) : r < 0.6 ? intBelow(rng, 501) : intBelow(rng, max + 1);
  // A few pools per string, so some strings are dense in one kind of trouble.
  const pools = Array.from({ length: 1 + intBelow(rng, 4) }, () => pick(rng, POOLS));
  let text = '';
  while (text.length < length) text += pick(rng, pick(rng, pools));
  return text.slice(0, length);
}

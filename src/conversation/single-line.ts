import { withoutBidiControls } from '../lib/bidi.js';

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/** What a person sees as characters: an emoji with its joiners and modifiers, a flag, a letter with its accents. */
export const visibleCharacters = (text: string): string[] => Array.from(graphemes.segment(text), (g) => g.segment);

/** The text on one line: every run of whitespace (newlines, tabs) becomes one space; no bidi controls. */
export const flatten = (text: string): string => withoutBidiControls(text).replace(/\s+/g, ' ').trim();

/**
 * The whole visible characters at the start of `head` whose `size` adds up to at most `max - 1`, then "…".
 *
 * Only `head` is segmented, never the whole text: Intl.Segmenter is far worse than linear on long input
 * (100 K units of "e" + a combining accent: about a minute). A boundary inside the head is a boundary of
 * the whole text (the grapheme rules look back, never ahead), and the head's last character, which may be
 * cut short, ends at `max` and so is never taken.
 */
export function cutWithEllipsis(head: string, max: number, size: (g: string) => number): string {
  let cut = '';
  let used = 0;
  for (const g of visibleCharacters(head)) {
    const n = size(g);
    if (used + n > max - 1) break;
    cut += g;
    used += n;
  }
  return `${cut.trimEnd()}…`;
}

/** How many UTF-16 units the first `count` code points of `text` take. */
const unitsOfCodePoints = (text: string, count: number): number => {
  let units = 0;
  for (let points = 0; points < count && units < text.length; points++) {
    units += text.codePointAt(units)! > 0xffff ? 2 : 1;
  }
  return units;
};

const codePoints = (g: string): number => Array.from(g).length;

/**
 * One line of at most `max` code points, cut with "…" between visible characters (never inside an emoji
 * or a flag); never empty (Meta refuses empty parameters).
 */
export function singleLine(text: string, max: number): string {
  const flat = flatten(text);
  const head = flat.slice(0, unitsOfCodePoints(flat, max));
  if (head.length === flat.length) return flat === '' ? '-' : flat;
  return cutWithEllipsis(head, max, codePoints);
}

/**
 * A stored remark as WhatsApp shows it in the summary, the Edit list and the NOT OK alerts: at most its
 * first `max` code points, then "…" (never cut inside an emoji), so a 4,096-character remark keeps those
 * messages short. Line breaks stay; the whole remark is on the manager pages and in the API.
 */
export function firstCharacters(text: string, max: number): string {
  const head = text.slice(0, unitsOfCodePoints(text, max + 1));
  if (head.length === text.length) return text;
  // The head's last character may be cut short; it ends past `max`, so it is never taken.
  return cutWithEllipsis(head, max + 1, codePoints);
}

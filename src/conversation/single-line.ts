const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/** What a person sees as characters: an emoji with its joiners and modifiers, a flag, a letter with its accents. */
export const visibleCharacters = (text: string): string[] => Array.from(graphemes.segment(text), (g) => g.segment);

/**
 * One line of at most `max` code points, cut with "…" between visible characters (never inside an emoji
 * or a flag); never empty (Meta refuses empty parameters).
 */
export function singleLine(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (Array.from(flat).length <= max) return flat === '' ? '-' : flat;
  let cut = '';
  let points = 0;
  for (const g of visibleCharacters(flat)) {
    const n = Array.from(g).length;
    if (points + n > max - 1) break;
    cut += g;
    points += n;
  }
  return `${cut.trimEnd()}…`;
}

/** One line of at most `max` characters (code points), cut with "…"; never empty (Meta refuses empty parameters). */
export function singleLine(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  const chars = Array.from(flat);
  const cut = chars.length > max ? `${chars.slice(0, max - 1).join('').trimEnd()}…` : flat;
  return cut === '' ? '-' : cut;
}

import { describe, expect, it } from 'vitest';
import { MAX_TEXT, outboxRows, splitText } from '../../src/outbox/outbox-messages.js';

const wellFormed = (s: string) => (s as string & { isWellFormed(): boolean }).isWellFormed();
const graphemes = (s: string) => [...new Intl.Segmenter(undefined, { granularity: 'grapheme' }).segment(s)].length;

describe('splitText', () => {
  it.each([
    ['emoji after an odd prefix (the answer once lost to a lone surrogate)', 'OK - a' + '😀'.repeat(600)],
    ['a family emoji joined with ZWJ', 'NOT OK - ' + '👨‍👩‍👧‍👦'.repeat(300)],
    ['letters with combining accents', 'e\u0301'.repeat(900)],
    ['flags', '🇮🇳'.repeat(700)],
    ['right-to-left text with marks', 'مرحبا بالعالم '.repeat(150)],
  ])(
    'when a long body is %s, then every part is well-formed, within the limit, and they join to the body',
    (_, body) => {
      const parts = splitText(body);

      expect(parts.length).toBeGreaterThan(1);
      for (const p of parts) {
        expect(wellFormed(p)).toBe(true);
        expect(p.length).toBeLessThanOrEqual(MAX_TEXT);
      }
      expect(parts.join('')).toBe(body);
      // No visible character is split across two parts.
      expect(parts.reduce((n, p) => n + graphemes(p), 0)).toBe(graphemes(body));
    },
  );

  it('when one "character" is a 100 KB run of accents, then it is cut between code points and nothing is lost', () => {
    const body = 'e' + '\u0301'.repeat(100_000);

    const parts = splitText(body);

    expect(parts.every((p) => wellFormed(p) && p.length <= MAX_TEXT)).toBe(true);
    expect(parts.join('')).toBe(body);
  });

  it('when a body has a newline in the second half of a part, then it is cut there', () => {
    const body = 'a'.repeat(800) + '\n' + 'b'.repeat(800);

    expect(splitText(body)).toEqual(['a'.repeat(800), 'b'.repeat(800)]);
  });
});

describe('outboxRows', () => {
  it('when a reply carries a lone surrogate or NUL, then the stored payload is well-formed text without NUL', () => {
    const [row] = outboxRows([{ kind: 'text', body: 'half \ud83d and \u0000 nul' }]);

    const body = (row!.payload as { text: { body: string } }).text.body;
    expect(body).toBe('half \ufffd and  nul');
    expect(JSON.stringify(row!.payload)).not.toMatch(/\\u0000|\\ud83d/);
  });
});

describe('splitText between words', () => {
  it('when a long remark has no newline near the limit, then the cut falls between two words', () => {
    const body = 'needs a vacuum and a new brush. '.repeat(40);

    const parts = splitText(body);

    expect(parts.length).toBeGreaterThan(1);
    expect(parts.slice(0, -1).every((p) => p.endsWith(' '))).toBe(true);
    expect(parts.join('')).toBe(body);
  });
});

import { describe, expect, it } from 'vitest';
import { alertTemplateParameters } from './alerts.js';
import { fitLine } from './buttons.js';
import { singleLine } from './single-line.js';

// Intl.Segmenter is far worse than linear on long input: 100 K units of "e" + a combining accent take
// about a minute in one call. Before the texts were cut ahead of it, each of the first three tests ran
// for over a minute (the alert test for over ten); after, in milliseconds.
const accented = 'e\u0301';
const adversarial = accented.repeat(50_000); // 100 K UTF-16 units, 50 K visible characters

describe('text from operator input is cut before it is split into visible characters', () => {
  it('when singleLine gets 100 KB of accented letters, then it keeps the first 599 code points and "…"', () => {
    expect(singleLine(adversarial, 600)).toBe(`${accented.repeat(299)}…`);
  });

  it('when fitLine gets 100 KB of accented letters, then it keeps the first 23 units and "…"', () => {
    expect(fitLine(adversarial, 24)).toBe(`${accented.repeat(11)}…`);
  });

  it('when 100 NOT OK tasks carry 100 KB remarks, then each remark shows 100 code points and the list is cut to 600', () => {
    const failed = Array.from({ length: 100 }, (_, i) => ({ task: `Task ${i + 1}`, remarks: adversarial }));

    const params = alertTemplateParameters({ machine: adversarial, template: 'Daily' }, failed);

    // Issue 14 item 5: each remark shows its first 100 code points (50 accented letters), then "…".
    const shown = (n: number) => `Task ${n} - ${accented.repeat(50)}…`;
    expect(params.slice(0, 3)).toEqual([`${accented.repeat(29)}…`, 'Daily', '100']);
    expect(params[3]!.startsWith([1, 2, 3, 4, 5].map(shown).join('; '))).toBe(true);
    expect(Array.from(params[3]!)).toHaveLength(600);
  });

  it('when emoji and accents mix, then the cut is the same as over the whole text', () => {
    const text = `Task 1 - ${'😀e\u0301'.repeat(2000)}`;

    expect(singleLine(text, 600)).toBe(`Task 1 - ${'😀e\u0301'.repeat(196)}😀…`);
    expect(fitLine(text, 24)).toBe(`Task 1 - ${'😀e\u0301'.repeat(3)}😀…`);
  });
});

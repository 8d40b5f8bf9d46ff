import { describe, expect, it } from 'vitest';
import { alertTemplateParameters } from './alerts.js';
import { fitLine } from './buttons.js';
import { singleLine } from './single-line.js';

const names = { machine: 'Press 7', template: 'Daily' };

describe('alertTemplateParameters', () => {
  it('when remarks hold newlines, tabs and runs of spaces, then every parameter is one line with single spaces', () => {
    const params = alertTemplateParameters(names, [
      { task: 'Check oil level', remarks: 'oil low\r\nleaking\tat the     seal\n' },
      { task: 'Clean\nfilter', remarks: null },
    ]);

    expect(params).toEqual(['Press 7', 'Daily', '2', 'Check oil level - oil low leaking at the seal; Clean filter']);
    for (const p of params) expect(p).not.toMatch(/[\n\r\t]| {2}/);
  });

  it('when the remarks are very long, then each shows its first 100 characters and "…", and the list stops at 600', () => {
    const long = 'word '.repeat(400);
    const shown = `${'word '.repeat(20).trimEnd()}…`;

    const [, , count, list] = alertTemplateParameters(
      names,
      Array.from({ length: 8 }, (_, i) => ({ task: `Task ${i + 1}`, remarks: long })),
    );

    expect(count).toBe('8');
    expect(list!.startsWith(`Task 1 - ${shown}; Task 2 - ${shown}`)).toBe(true);
    expect(Array.from(list!).length).toBeLessThanOrEqual(600);
    expect(list!.endsWith('…')).toBe(true);
  });

  it('when a name is long or blank, then it is cut to 60 characters or becomes "-" (Meta refuses empty parameters)', () => {
    const [machine, template] = alertTemplateParameters({ machine: 'M'.repeat(100), template: ' \n ' }, [
      { task: 'Oil', remarks: 'low' },
    ]);

    expect(machine).toBe(`${'M'.repeat(59)}…`);
    expect(template).toBe('-');
  });

  it('when a text is cut inside an emoji, then no half surrogate pair is left', () => {
    expect(singleLine('😀'.repeat(10), 5)).toBe('😀😀😀😀…');
  });

  it.each([
    // max: code points for singleLine; units: UTF-16 units for fitLine (a flag is 2 code points, 4 units).
    { name: 'a joined emoji (👷‍♀️ is 4 code points)', text: 'AAA👷‍♀️BBBB', max: 5, units: 5, cut: 'AAA…' },
    { name: 'a flag (2 regional letters)', text: '🇮🇳🇮🇳🇮🇳', max: 4, units: 5, cut: '🇮🇳…' },
    { name: 'a letter with a combining accent', text: 'Cafe\u0301 Press', max: 5, units: 5, cut: 'Caf…' },
  ])('when a text would be cut inside $name, then the cut falls before it', ({ text, max, units, cut }) => {
    expect(singleLine(text, max)).toBe(cut);
    expect(fitLine(text, units)).toBe(cut);
  });
});

import { describe, expect, it } from 'vitest';
import { cleanTypedText, text } from '../../src/lib/validation.js';
import {
  createMachineSchema,
  createOperatorSchema,
  createTemplateSchema,
} from '../../src/checklists/checklists-schemas.js';
import { parseNewTemplate, taskForm, templateName } from '../../src/admin/templates/template-forms.js';

describe('cleanTypedText', () => {
  it.each([
    { name: 'a right-to-left override', input: 'Bidi2 \u202Eevil', clean: 'Bidi2 evil' },
    {
      name: 'every bidi embedding, override and isolate',
      input: 'a\u202A\u202B\u202C\u202D\u202Eb\u2066\u2067\u2068\u2069c',
      clean: 'abc',
    },
    { name: 'the marks LRM, RLM and ALM', input: '\u200Ename\u200F\u061C', clean: 'name' },
    { name: 'C0 controls (bell, escape)', input: 'Ra\u0007vi\u001B[31m', clean: 'Ravi[31m' },
    { name: 'DEL and C1 controls', input: 'Press\u007F\u0080\u009B 7', clean: 'Press 7' },
    {
      name: 'line breaks and tabs, which become spaces',
      input: 'Check oil\nlevel\tnow\r\nplease',
      clean: 'Check oil level now please',
    },
    { name: 'a line separator', input: 'one\u2028two', clean: 'one two' },
    { name: 'spaces around, after cleaning', input: ' \u202E  Ravi \n', clean: 'Ravi' },
    { name: 'letters of any script and emoji, kept', input: 'रवि कुमार · محمد 🔧', clean: 'रवि कुमार · محمد 🔧' },
    { name: 'a zero-width joiner inside an emoji, kept', input: '👩\u200D🔧', clean: '👩\u200D🔧' },
    {
      name: 'invisible format characters (zero-width space, word joiner, BOM, soft hyphen)',
      input: '\u200BRa\u2060vi\uFEFF Ku\u00ADmar',
      clean: 'Ravi Kumar',
    },
  ])('when a name holds $name, then it comes out as "$clean"', ({ input, clean }) => {
    expect(cleanTypedText(input)).toBe(clean);
  });
});

describe('text() in the schemas a manager fills in', () => {
  it('when only control characters are typed, then it is the usual "is required"', () => {
    const result = text(200).safeParse('\u202E\u0007 \n\u200B');

    expect(result.error?.issues.map((i) => i.message)).toEqual(['is required']);
  });

  it('when U+0000 is typed, then it is still refused (PostgreSQL cannot store it)', () => {
    expect(
      text(200)
        .safeParse('Check\u0000oil')
        .error?.issues.map((i) => i.message),
    ).toEqual(['must not contain NUL characters']);
  });

  it('when the cleaned text fits the length, then the characters removed do not count', () => {
    expect(text(5).safeParse('\u202Eabcde\u202C').data).toBe('abcde');
  });

  it('when operators, machines, templates and tasks are parsed, then every name and text is cleaned', () => {
    const dirty = (s: string) => `\u202E${s}\u0007\n`;

    expect(createOperatorSchema('IN').parse({ name: dirty('Ravi'), phoneNumber: '+919812345678' }).name).toBe('Ravi');
    expect(createMachineSchema.parse({ name: dirty('Press 7'), code: dirty('PR-07') })).toEqual({
      name: 'Press 7',
      code: 'PR-07',
    });
    expect(createTemplateSchema.parse({ name: dirty('Daily'), tasks: [{ text: dirty('Check oil') }] })).toEqual({
      name: 'Daily',
      tasks: [{ text: 'Check oil', type: 'check', requiresPhoto: false, allowNa: true }],
    });
    expect(templateName.parse({ name: dirty('Daily') }).name).toBe('Daily');
    expect(taskForm.parse({ text: dirty('Check belt'), requiresPhoto: false }).text).toBe('Check belt');
    expect(parseNewTemplate({ name: dirty('Weekly'), tasks: [{ text: dirty('Clean filter') }] }).value).toEqual({
      name: 'Weekly',
      tasks: [{ text: 'Clean filter', requiresPhoto: false }],
    });
  });
});

describe('names that look blank', () => {
  it.each([
    { name: 'Hangul fillers', input: '\u3164\u3164' },
    { name: 'the halfwidth Hangul filler and the choseong and jungseong fillers', input: '\uFFA0\u115F\u1160' },
    { name: 'the blank Braille pattern', input: '\u2800' },
    { name: 'joiners alone', input: '\u200D\u200C' },
    { name: 'a Mongolian vowel separator and a grapheme joiner', input: '\u180E\u034F' },
    { name: 'variation selectors and tags', input: '\uFE0F\u{E0020}\u{E0041}' },
    { name: 'an ideographic space between fillers', input: '\u3164\u3000\u3164' },
  ])('when a name is made only of $name, then it is refused as "is required"', ({ input }) => {
    expect(
      text(200)
        .safeParse(input)
        .error?.issues.map((i) => i.message),
    ).toEqual(['is required']);
  });

  it('when a name has letters besides invisible ones, then it is accepted', () => {
    expect(text(200).safeParse('Ravi \u3164').success).toBe(true);
    expect(text(200).safeParse('👩\u200D🔧').success).toBe(true);
  });
});

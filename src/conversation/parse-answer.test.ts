import { describe, expect, it } from 'vitest';
import { cleanRemarks, isConfirm, looksLikeQuestion, parseAnswer } from './parse-answer.js';

describe('parseAnswer', () => {
  it.each([
    { text: 'ok', status: 'OK', remarks: null },
    { text: 'OK - oil level normal', status: 'OK', remarks: 'oil level normal' },
    { text: 'Ok: fine', status: 'OK', remarks: 'fine' },
    { text: '  oK   all good  ', status: 'OK', remarks: 'all good' },
    { text: 'OK – en dash', status: 'OK', remarks: 'en dash' },
    { text: 'OK—em dash', status: 'OK', remarks: 'em dash' },
    { text: 'OK -', status: 'OK', remarks: null },
    { text: 'OK:   ', status: 'OK', remarks: null },
    { text: 'OK - line one\nline two', status: 'OK', remarks: 'line one\nline two' },
    { text: 'NOT OK', status: 'NOT_OK', remarks: null },
    { text: 'not ok leak at valve', status: 'NOT_OK', remarks: 'leak at valve' },
    { text: 'Not  Ok - belt worn', status: 'NOT_OK', remarks: 'belt worn' },
    { text: 'NOK: loose bolt', status: 'NOT_OK', remarks: 'loose bolt' },
    { text: 'not_ok', status: 'NOT_OK', remarks: null },
    { text: 'NOTOK cracked', status: 'NOT_OK', remarks: 'cracked' },
    { text: 'not-ok - cracked', status: 'NOT_OK', remarks: 'cracked' },
    { text: 'NA', status: 'NA', remarks: null },
    { text: 'na - machine off', status: 'NA', remarks: 'machine off' },
    { text: 'N/A', status: 'NA', remarks: null },
    { text: 'n/a: not installed', status: 'NA', remarks: 'not installed' },
    { text: 'N.A.', status: 'NA', remarks: null },
    { text: 'n.a. spare line', status: 'NA', remarks: 'spare line' },
  ])('when the text is "$text", then it is $status with remarks $remarks', ({ text, status, remarks }) => {
    expect(parseAnswer(text)).toEqual({ status, remarks });
  });

  // Issue 14 item 13: what people actually type. Each rule has inputs the issue does not quote.
  it.each([
    // rule: trailing punctuation after the word is no remark
    { rule: 'trailing punctuation', text: 'Ok.', status: 'OK', remarks: null },
    { rule: 'trailing punctuation', text: 'ok!!', status: 'OK', remarks: null },
    { rule: 'trailing punctuation', text: 'NA.', status: 'NA', remarks: null },
    { rule: 'trailing punctuation', text: 'Not OK!', status: 'NOT_OK', remarks: null },
    { rule: 'trailing punctuation', text: 'n/a ...', status: 'NA', remarks: null },
    // rule: "okay" and "okey" are OK (before issue 14 they were deliberately refused)
    { rule: 'okay', text: 'okay', status: 'OK', remarks: null },
    { rule: 'okay', text: 'OKAY fine', status: 'OK', remarks: 'fine' },
    { rule: 'okay', text: 'Okey - all good', status: 'OK', remarks: 'all good' },
    { rule: 'okay', text: 'not okay: belt loose', status: 'NOT_OK', remarks: 'belt loose' },
    { rule: 'okay', text: 'NOTOKAY', status: 'NOT_OK', remarks: null },
    // rule: "o.k." with or without its dots and a space
    { rule: 'o.k.', text: 'o.k.', status: 'OK', remarks: null },
    { rule: 'o.k.', text: 'O.K', status: 'OK', remarks: null },
    { rule: 'o.k.', text: 'o. k. gauge fine', status: 'OK', remarks: 'gauge fine' },
    { rule: 'o.k.', text: 'not o.k. - cracked', status: 'NOT_OK', remarks: 'cracked' },
    // rule: an emoji straight after the word is emphasis ("OK👍"); with more text it stays in the remark
    { rule: 'emoji after the word', text: 'OK👍', status: 'OK', remarks: null },
    { rule: 'emoji after the word', text: 'ok ✅✅', status: 'OK', remarks: null },
    { rule: 'emoji after the word', text: 'Okay👍🏽!', status: 'OK', remarks: null },
    { rule: 'emoji after the word', text: 'OK🔥 running hot', status: 'OK', remarks: '🔥 running hot' },
    // rule: a comma (or ; . !) separates the remark ("OK,fine")
    { rule: 'comma', text: 'OK,fine', status: 'OK', remarks: 'fine' },
    { rule: 'comma', text: 'ok, level at max', status: 'OK', remarks: 'level at max' },
    { rule: 'comma', text: 'NOT OK; hose cracked', status: 'NOT_OK', remarks: 'hose cracked' },
    { rule: 'comma', text: 'na,machine off', status: 'NA', remarks: 'machine off' },
    // rule: 👍 ✅ ✔️ ☑️ are OK, ❌ 👎 ✖️ are NOT OK, alone or before a remark
    { rule: 'emoji answers', text: '👍', status: 'OK', remarks: null },
    { rule: 'emoji answers', text: '✅', status: 'OK', remarks: null },
    { rule: 'emoji answers', text: '❌', status: 'NOT_OK', remarks: null },
    { rule: 'emoji answers', text: '👍🏾', status: 'OK', remarks: null },
    { rule: 'emoji answers', text: '✔️ oil topped up', status: 'OK', remarks: 'oil topped up' },
    { rule: 'emoji answers', text: '☑', status: 'OK', remarks: null },
    { rule: 'emoji answers', text: '❌ - guard missing', status: 'NOT_OK', remarks: 'guard missing' },
    { rule: 'emoji answers', text: '👎 belt torn', status: 'NOT_OK', remarks: 'belt torn' },
    { rule: 'emoji answers', text: '✖️', status: 'NOT_OK', remarks: null },
    { rule: 'emoji answers', text: '👍👍👍', status: 'OK', remarks: null },
  ])('when the text is "$text" ($rule), then it is $status with remarks $remarks', ({ text, status, remarks }) => {
    expect(parseAnswer(text)).toEqual({ status, remarks });
  });

  // Decided in issue 14: a trailing "?" asks rather than answers ("OK?" = "is this OK?"), and "nah" reads as
  // "no", which could be NOT OK or NA: both are refused with a quote of the text, so the operator decides.
  it.each([
    'OK?',
    'okay??',
    'NA?',
    'not ok?',
    'nothing',
    'NAH',
    'nah bro',
    'NOT',
    'okk',
    'CONFIRM',
    'fine OK',
    '',
    '   ',
    'N/Ab',
    'nokia',
    '🤔',
  ])('when the text is "%s", then it is not an answer', (text) => {
    expect(parseAnswer(text)).toBeNull();
  });

  it.each([
    { text: 'OK?', question: true },
    { text: 'not ok ??', question: true },
    { text: 'na?', question: true },
    { text: 'why?', question: false },
    { text: 'nothing', question: false },
  ])('when "$text" is refused, then it reads as a question: $question', ({ text, question }) => {
    expect(looksLikeQuestion(text)).toBe(question);
  });

  // Issue 14 item 5: what WhatsApp allows in one text message (4,096 characters) is stored whole.
  it.each([
    { when: 'remarks are longer than 4096 characters', remarks: 'x'.repeat(5000), length: 4096 },
    { when: 'remarks are exactly 4096 characters', remarks: 'y'.repeat(4096), length: 4096 },
    { when: 'remarks are 1500 characters (cut at 1000 before)', remarks: 'w'.repeat(1500), length: 1500 },
    { when: 'remarks are short', remarks: 'z'.repeat(10), length: 10 },
  ])('when $when, then they are kept to $length characters', ({ remarks, length }) => {
    const parsed = parseAnswer(`OK - ${remarks}`);

    expect(parsed?.remarks).toHaveLength(length);
    expect(parsed?.remarks).toBe(remarks.slice(0, length));
  });

  it('when the cap falls inside an emoji, then the emoji is not split', () => {
    const parsed = parseAnswer(`OK ${'a'.repeat(4095)}👍👍`);

    expect(parsed?.remarks).toBe(`${'a'.repeat(4095)}👍`);
  });
});

describe('isConfirm', () => {
  it.each([
    { text: 'CONFIRM', expected: true },
    { text: 'confirm', expected: true },
    { text: ' Confirm', expected: true },
    { text: 'con firm ', expected: true },
    { text: 'C O N F I R M', expected: true },
    // Issue 14 item 13: trailing punctuation and CONFIRMED (quoted in the issue, then three more each).
    { text: 'Confirm!', expected: true },
    { text: 'confirm.', expected: true },
    { text: 'CONFIRMED', expected: true },
    { text: 'confirm !!', expected: true },
    { text: 'Confirmed.', expected: true },
    { text: 'CONFIRM ✅', expected: true },
    { text: 'confirm,', expected: true },
    // A question asks before submitting; anything more is not CONFIRM.
    { text: 'confirm?', expected: false },
    { text: 'confirming', expected: false },
    { text: 'confirm please', expected: false },
    { text: 'OK', expected: false },
    { text: '', expected: false },
  ])('when the text is "$text", then isConfirm is $expected', ({ text, expected }) => {
    expect(isConfirm(text)).toBe(expected);
  });
});

describe('cleanRemarks', () => {
  it.each([
    { text: '  oil on the floor ', expected: 'oil on the floor' },
    { text: '   ', expected: null },
    { text: '', expected: null },
    { text: 'x'.repeat(5000), expected: 'x'.repeat(4096) },
  ])('when the text is "$text", then the remark is $expected', ({ text, expected }) => {
    expect(cleanRemarks(text)).toBe(expected);
  });
});

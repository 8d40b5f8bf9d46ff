// Issue 4, behaviour 9: every word the operator reads over WhatsApp is in src/conversation/messages.en.ts.
// The other lifecycle-*.test.ts files compare what was sent with messagesEn's output; this one checks that no
// operator text is written anywhere else in the WhatsApp channel's code.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { messagesEn } from '../../src/conversation/messages.en.js';

const ROOT = path.resolve(import.meta.dirname, '../../src');
const CHANNEL_DIRS = ['conversation', 'whatsapp'];
const WORDS_FILE = path.join(ROOT, 'conversation', 'messages.en.ts');

/** The channel's source files, without tests, test fixtures and the words file itself. */
function channelSources(): Array<{ file: string; code: string }> {
  return CHANNEL_DIRS.flatMap((dir) =>
    fs
      .readdirSync(path.join(ROOT, dir))
      .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && !f.endsWith('-fixtures.ts'))
      .map((f) => path.join(ROOT, dir, f))
      .filter((file) => file !== WORDS_FILE)
      .map((file) => ({ file: path.relative(ROOT, file), code: fs.readFileSync(file, 'utf8') })),
  );
}

/** Every text messagesEn can produce with no arguments, plus a few with sample ones. */
function sampleTexts(): string[] {
  const answer = { taskIndex: 0, taskId: 1, status: 'OK' as const, remarks: 'r', photo: null, answeredAt: '' };
  const withArgs: Record<string, unknown[]> = {
    question: [1, 2, 'T'],
    dueBy: [{ time: '06:00', day: 'Tue 8 Dec', daysAhead: 2 }],
    earlierAnswer: [answer],
    editHelp: [3],
    editOutOfRange: [9, 3],
    invalidAnswer: ['xyz'],
    staleAnswerButton: [2, 'summary'],
    submitted: [
      { template: 'C', machine: 'M' },
      { waiting: 3, next: { template: 'C', machine: 'M' }, startsNow: true },
    ],
    queued: [{ template: 'C', machine: 'M' }],
    missedQueued: [
      { template: 'C', machine: 'M' },
      { time: '23:30', day: 'Sun 6 Dec', daysAhead: -1 },
    ],
    alreadySubmitted: [{ template: 'C', machine: 'M' }],
    status: [1, 3, 0],
    summary: [[{ id: 1, text: 'T', requiresPhoto: false }], [answer]],
    cancelled: ['C', 'M'],
    expired: ['C', 'M'],
    notOkAlert: ['M', 'C', [{ task: 'T', remarks: null }]],
    photosReceived: [2, true],
    answerNeedsPhoto: ['NOT_OK', 'r'],
    tooManyPhotos: [5],
    photoAddedTo: [1, 2],
    unfinishedNotKept: [4, true],
    expectedAnswer: [{ id: 1, text: 'T', requiresPhoto: false, type: 'number', unit: 'bar', min: 5, max: 8 }],
    outOfRange: ['9.2', { id: 1, text: 'T', requiresPhoto: false, unit: 'bar' }, 'above', 8],
    notANumber: ['abc', { id: 1, text: 'T', requiresPhoto: false, unit: 'bar' }],
    notAnOption: ['x', { id: 1, text: 'T', requiresPhoto: false, options: [] }],
    noteNeedsWords: [],
    thumbsUpNeedsValue: [{ id: 1, text: 'T', requiresPhoto: false, type: 'number', unit: 'bar', min: 5, max: 8 }],
    alertReading: [
      { value: '9.2', status: 'NOT_OK' },
      { id: 1, text: 'T', requiresPhoto: false, type: 'number' },
    ],
    shownValue: [{ value: '9.2', status: 'OK' }, undefined],
    reworkIntro: [{ template: 'C', machine: 'M' }, 'redo it', 1, 'Mon 7 Dec, 06:12'],
    taskOfChecklist: [2],
    editRowDescription: [2, { id: 1, text: 'T', requiresPhoto: false, position: 4 }, answer],
    reworkCancelled: [{ template: 'C', machine: 'M' }],
  };
  return Object.entries(messagesEn)
    .filter(([, v]) => typeof v === 'function')
    .map(([k, fn]) => (fn as (...a: unknown[]) => string)(...(withArgs[k] ?? [])));
}

/**
 * A phrase long enough to be recognisable: the longest stretch of a text between emoji, placeholders and line breaks.
 */
const phraseOf = (text: string) =>
  text
    .replace(/\p{Extended_Pictographic}\uFE0F?/gu, '\n')
    .split(/\n|\b(?:C|M|T|r)\b|"|\d/)
    .map((part) => part.trim())
    .reduce((a, b) => (b.length > a.length ? b : a), '')
    .slice(0, 28);

describe('words in one place', () => {
  it('when the channel code is read, then messages.en.ts is the only file with operator-facing emoji', () => {
    const offenders = channelSources()
      .filter(({ code }) => /\p{Extended_Pictographic}/u.test(code))
      .map((s) => s.file);

    expect(offenders).toEqual([]);
  });

  it('when the channel code is read, then no text of messages.en.ts is written out anywhere else', () => {
    const phrases = [...new Set(sampleTexts().map(phraseOf))].filter((p) => p.length >= 16);
    expect(phrases.length).toBeGreaterThan(20);

    const copies = channelSources().flatMap(({ file, code }) =>
      phrases.filter((p) => code.includes(p)).map((p) => `${file}: "${p}"`),
    );

    expect(copies).toEqual([]);
  });

  it('when the lifecycle texts are built, then they come from messages.en.ts with the names filled in', () => {
    expect(messagesEn.expired('Daily press check', 'Press 7')).toMatch(
      /^⏰ .*"Daily press check" for Press 7.*expired/,
    );
    expect(messagesEn.cancelled('Daily press check', 'Press 7')).toMatch(
      /^🛑 .*"Daily press check" for Press 7.*cancelled/,
    );
    expect(messagesEn.status(3, 5, 2)).toBe('Question 3 of 5, 2 answered');
    expect(messagesEn.notOkAlert('Press 7', 'Daily', [{ task: 'Oil', remarks: 'low' }])).toContain('Press 7');
  });
});

import { describe, expect, it } from 'vitest';
import {
  noting,
  OTHER_SESSION,
  SESSION,
  allAnswers,
  answerFor,
  at,
  imageEv,
  questionReply,
  stateAt,
  summaryReply,
  summaryState,
  tap,
  tasks,
  textEv,
} from '../../tests/support/conversation-fixtures.js';
import { readableFrom, transitionInContext, type AnswerContext } from './answer-context.js';
import { questionAsked } from './buttons.js';
import type { InboundEvent, SessionState, Task } from './conversation-types.js';
import { messagesEn as m } from './messages.en.js';

const seconds = (n: number) => new Date(at.getTime() + n * 1000);
/** The question could be read from `at` on; the session started a minute before. */
const ctx = (over: Partial<AnswerContext> = {}): AnswerContext => ({
  sessionStartedAt: seconds(-60),
  readableFrom: at,
  quoted: null,
  ...over,
});
const sentAt = (event: InboundEvent, n: number): InboundEvent => ({ ...event, at: seconds(n) });
const reaction = (emoji: string, replyTo = 'wamid.Q'): InboundEvent => ({ kind: 'reaction', emoji, replyTo, at });
const quoting = (event: InboundEvent, replyTo = 'wamid.Q'): InboundEvent => ({ ...event, replyTo }) as InboundEvent;
const ours = (taskIndex: number | null, sessionId: string | null = SESSION) => ({ sessionId, taskIndex });

describe('questionAsked (the question an outgoing message is tagged with)', () => {
  it.each([
    { when: 'a question with its answer buttons', reply: questionReply(1), expected: 1 },
    { when: 'a question after a line of text', reply: questionReply(0, m.invalidAnswer('hello')), expected: 0 },
    { when: 'the summary', reply: summaryReply(allAnswers), expected: 3 },
    { when: 'a text', reply: { kind: 'text' as const, body: m.notOkAskNote() }, expected: null },
  ])('when the reply is $when, then it asks $expected', ({ reply, expected }) => {
    expect(questionAsked(reply, 3)).toBe(expected);
  });
});

describe('readableFrom', () => {
  it.each([
    { when: 'the question is still in the outbox', accepted: null, margin: 2, expected: null },
    {
      when: 'it was accepted mid-second',
      accepted: new Date('2025-11-20T08:30:00.900Z'),
      margin: 2,
      expected: new Date('2025-11-20T08:30:02.000Z'),
    },
    {
      when: 'the margin is 0',
      accepted: new Date('2025-11-20T08:30:00.100Z'),
      margin: 0,
      expected: new Date('2025-11-20T08:30:00.000Z'),
    },
  ])('when $when, then it is the accepted second plus the margin', ({ accepted, margin, expected }) => {
    expect(readableFrom(accepted, margin)).toEqual(expected);
  });
});

describe('the read-time rule', () => {
  it.each([
    { when: 'text sent a second before the question was readable', event: sentAt(textEv('OK'), -1), c: ctx() },
    { when: 'text sent while the question is unsent', event: textEv('OK'), c: ctx({ readableFrom: null }) },
    { when: 'a captioned photo sent too early', event: sentAt(imageEv('p.jpg', 'OK'), -1), c: ctx() },
    {
      when: 'CONFIRM typed before the summary was readable',
      event: sentAt(textEv('CONFIRM'), -3),
      c: ctx(),
      atSummary: true,
    },
  ])('when $when, then nothing is stored and the question is asked again after one line', ({ event, c, atSummary }) => {
    const state = atSummary ? summaryState() : stateAt(0);

    const result = transitionInContext(state, tasks, event, c);

    expect(result.state).toEqual(state);
    expect(result.effect).toBe('none');
    const prompt = atSummary ? summaryReply(allAnswers) : questionReply(0);
    const line = m.sentBeforeQuestion(event.kind === 'image');
    expect(result.replies).toEqual([{ ...prompt, body: `${line}\n\n${prompt.body}` }]);
    expect(result.refused).toBe('sent_before_question');
  });

  it.each([
    { when: 'STATUS at the summary', body: 'STATUS', atSummary: true },
    { when: 'HELP on a question', body: 'help', atSummary: false },
    { when: 'EDIT 2 at the summary', body: 'EDIT 2', atSummary: true },
    { when: 'BACK on a question', body: 'back.', atSummary: false },
  ])('when $when is typed before the prompt was readable, then it works (it stores nothing)', ({ body, atSummary }) => {
    const state = atSummary ? summaryState() : stateAt(1);

    const result = transitionInContext(state, tasks, sentAt(textEv(body), -1), ctx());

    expect(result.refused).toBeUndefined();
    expect(result.replies.map((r) => r.body).join('\n')).not.toContain(m.sentBeforeQuestion());
  });

  it('when a captioned photo is refused, then the operator is told the photo was not kept', () => {
    const result = transitionInContext(stateAt(0), tasks, sentAt(imageEv('p.jpg', 'OK - dry'), -1), ctx());

    expect(result.replies[0]?.body).toContain('That photo came before you could read this question');
  });

  it('when text was sent before the session started, then it is said to be for the previous checklist', () => {
    const result = transitionInContext(stateAt(0), tasks, sentAt(textEv('OK - old'), -61), ctx());

    expect(result.effect).toBe('none');
    expect(result.replies).toEqual([questionReply(0, m.forPreviousChecklist())]);
    expect(result.refused).toBe('sent_before_checklist');
  });

  it('when a refused message is a photo, then its file is given back to be deleted', () => {
    const result = transitionInContext(stateAt(0), tasks, sentAt(imageEv('p.jpg', 'OK'), -1), ctx());

    expect(result.discardedPhotos).toEqual(['p.jpg']);
    expect(result.state.draft.photos).toEqual([]);
  });

  it.each([
    { when: 'text sent in the readable second', event: textEv('OK'), state: stateAt(0) },
    { when: 'text sent later', event: sentAt(textEv('NA'), 30), state: stateAt(0) },
    { when: 'a tap sent early (it names its question)', event: sentAt(tap('OK', 0), -5), state: stateAt(0) },
    { when: 'the note after NOT OK', event: sentAt(textEv('oil leak'), -5), state: stateAt(0, { draft: noting }) },
  ])('when $when, then it is taken as the answer', ({ event, state }) => {
    const result = transitionInContext(state, tasks, event, ctx());

    expect(result.effect).toBe('answered');
    expect(result.answer?.taskIndex).toBe(0);
  });

  it('when a photo without a caption is sent early, then it waits for the answer as before (a photo answers nothing)', () => {
    const result = transitionInContext(stateAt(0), tasks, sentAt(imageEv('p.jpg'), -1), ctx());

    expect(result.state.draft.photos).toEqual(['p.jpg']);
  });

  it('when the session waits for the reply to the start template, then any text brings Question 1', () => {
    const state = stateAt(0, { awaitingStart: true });

    const result = transitionInContext(state, tasks, textEv('hi'), ctx({ readableFrom: null }));

    expect(result.state.awaitingStart).toBe(false);
    expect(result.replies).toEqual([questionReply(0)]);
  });
});

describe('a reply quoting one of our messages', () => {
  const onQ2 = stateAt(2, { answers: [answerFor(0), answerFor(1, { photo: 'g.jpg' })] });

  it('when it quotes the current question, then it answers it even before the read margin', () => {
    const event = sentAt(quoting(textEv('NA')), -5);

    const result = transitionInContext(onQ2, tasks, event, ctx({ quoted: ours(2) }));

    expect(result.effect).toBe('answered');
    expect(result.answer).toMatchObject({ taskIndex: 2, status: 'NA' });
  });

  it('when it quotes an answered question, then that answer is replaced and the current question is asked again', () => {
    const event = quoting(textEv('NOT OK - leaking'));

    const result = transitionInContext(onQ2, tasks, event, ctx({ quoted: ours(0) }));

    expect(result.effect).toBe('answered');
    expect(result.answer).toMatchObject({ taskIndex: 0, status: 'NOT_OK', remarks: 'leaking' });
    expect(result.state).toEqual({ ...onQ2, answers: [result.answer, onQ2.answers[1]] });
    expect(result.replies).toEqual([questionReply(2, m.quotedAnswerChanged(1))]);
  });

  it('when it quotes an answered question at the summary, then the summary is sent again with the new answer', () => {
    const result = transitionInContext(summaryState(), tasks, quoting(textEv('NA')), ctx({ quoted: ours(2) }));

    const answers = [allAnswers[0]!, allAnswers[1]!, answerFor(2, { status: 'NA' })];
    expect(result.state.answers).toEqual(answers);
    expect(result.state.currentTaskIndex).toBe(3);
    expect(result.replies).toEqual([summaryReply(answers, m.quotedAnswerChanged(3))]);
  });

  it('when a photo alone quotes an answered photo question, then only its photo is replaced', () => {
    const result = transitionInContext(onQ2, tasks, quoting(imageEv('new.jpg')), ctx({ quoted: ours(1) }));

    expect(result.answer).toMatchObject({ taskIndex: 1, status: 'OK', photo: 'new.jpg' });
    expect(result.discardedPhotos).toEqual(['g.jpg']);
  });

  it('when it quotes an answered question with text that is no answer, then nothing changes and the operator is told how', () => {
    const result = transitionInContext(onQ2, tasks, quoting(textEv('hmm')), ctx({ quoted: ours(0) }));

    expect(result.state).toEqual(onQ2);
    expect(result.replies).toEqual([questionReply(2, m.quotedNotAnAnswer(1))]);
  });

  it.each([
    { when: 'another conversation', quoted: ours(0, OTHER_SESSION) },
    { when: 'another conversation, quoting its summary', quoted: ours(3, OTHER_SESSION) },
  ])('when it quotes $when, then nothing is stored here and the operator is told in one line', ({ quoted }) => {
    const result = transitionInContext(onQ2, tasks, quoting(textEv('OK')), ctx({ quoted }));

    expect(result.state).toEqual(onQ2);
    expect(result.replies).toEqual([questionReply(2, m.quotedOtherChecklist())]);
  });

  it.each([
    { when: 'a message that asks no question', quoted: ours(null) },
    { when: 'a message of no conversation', quoted: ours(null, null) },
  ])('when it quotes $when, then it is read as if it quoted nothing', ({ quoted }) => {
    const result = transitionInContext(onQ2, tasks, quoting(textEv('OK')), ctx({ quoted }));

    expect(result.answer).toMatchObject({ taskIndex: 2, status: 'OK' });
  });
});

describe('a reaction', () => {
  const onQ1: SessionState = stateAt(0);

  it.each(['👍', '👍🏽'])('when %s is the reaction to the current question, then it is OK', (emoji) => {
    const result = transitionInContext(onQ1, tasks, sentAt(reaction(emoji), -5), ctx({ quoted: ours(0) }));

    expect(result.answer).toMatchObject({ taskIndex: 0, status: 'OK', remarks: null });
    expect(result.replies).toEqual([questionReply(1)]);
  });

  it.each([
    { when: 'another emoji on the current question', event: reaction('❤️'), quoted: ours(0) },
    { when: 'a removed reaction', event: reaction(''), quoted: ours(0) },
    { when: '👍 on an earlier question', event: reaction('👍'), quoted: ours(1) },
    { when: '👍 on another conversation', event: reaction('👍'), quoted: ours(0, OTHER_SESSION) },
    { when: '👍 on a message we do not know', event: reaction('👍'), quoted: null },
  ])('when $when, then nothing happens and nothing is said', ({ event, quoted }) => {
    const result = transitionInContext(onQ1, tasks, event, ctx({ quoted }));

    expect(result).toEqual({ state: onQ1, replies: [], effect: 'none' });
  });

  it('when 👍 is the reaction to the summary, then nothing is submitted', () => {
    const result = transitionInContext(summaryState(), tasks, reaction('👍'), ctx({ quoted: ours(3) }));

    expect(result.effect).toBe('none');
    expect(result.replies).toEqual([]);
  });

  /** The same three questions, the first one typed: a reading, a choice or a text. */
  const typedFirst = (first: Partial<Task>): Task[] => [{ ...tasks[0]!, ...first }, tasks[1]!, tasks[2]!];
  it.each([
    { type: 'number', first: { type: 'number', unit: 'bar', min: 5, max: 8 }, hint: 'Type the value in bar (5 to 8).' },
    {
      type: 'choice',
      first: {
        type: 'choice',
        options: [
          { key: 'a', label: 'Clean', fails: false },
          { key: 'b', label: 'Dirty', fails: true },
        ],
      },
      hint: '1. Clean',
    },
    { type: 'text', first: { type: 'text' }, hint: 'Type your answer (or NA).' },
    {
      type: 'number, with a NOT OK note awaited',
      first: { type: 'number', unit: 'bar', max: 8 },
      hint: 'Type the value in bar (at most 8).',
      draft: noting,
    },
  ] as { type: string; first: Partial<Task>; hint: string; draft?: typeof noting }[])(
    'when 👍 is the reaction to a $type question, then nothing is saved and its typed hint comes again in one reply',
    ({ first, hint, draft }) => {
      const typedTasks = typedFirst(first);
      const state = stateAt(0, draft ? { draft } : {});

      const result = transitionInContext(state, typedTasks, reaction('👍'), ctx({ quoted: ours(0) }));

      expect(result.effect).toBe('none');
      expect(result.answer).toBeUndefined();
      expect(result.state).toEqual(state);
      expect(result.replies).toEqual([{ kind: 'text', body: m.thumbsUpNeedsValue(typedTasks[0]!) }]);
      expect(result.replies[0]).toMatchObject({ body: expect.stringContaining(hint) as string });
    },
  );

  it('when a NOT OK note is awaited and 👍 is the reaction to the question, then the question is answered OK', () => {
    const result = transitionInContext(stateAt(0, { draft: noting }), tasks, reaction('👍'), ctx({ quoted: ours(0) }));

    expect(result.answer).toMatchObject({ status: 'OK' });
  });
});

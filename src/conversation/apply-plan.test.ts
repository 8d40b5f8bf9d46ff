// Issue 14 item 16: a tap on a submitted checklist's button names it instead of "no open checklist".
import { describe, expect, it } from 'vitest';
import { planInbound, tappedSessionId, type ApplyRead } from './apply-plan.js';
import { answerButtonId, summaryButtonId } from './buttons.js';
import type { InboundEvent } from './conversation-types.js';
import { messagesEn as m } from './messages.en.js';
import type { SessionRow } from './session-repository.js';
import {
  OTHER_SESSION,
  SESSION,
  at,
  buttonEv,
  questionReply,
  tasks,
  textEv,
} from '../../tests/support/conversation-fixtures.js';

const names = { template: 'Daily press check', machine: 'Press 7' };
const now = new Date(at.getTime() + 60_000);

const row = (over: Partial<SessionRow> = {}): SessionRow => ({
  id: SESSION,
  phoneNumber: '+919812345678',
  assignmentId: 'a1',
  submissionId: 's1',
  templateId: 1,
  machineId: 1,
  operatorId: 7,
  status: 'active',
  currentTaskIndex: 0,
  totalTasks: 3,
  answers: [],
  pendingPhotoUrl: null,
  lastMessageAt: null,
  createdAt: new Date(at.getTime() - 60_000),
  expiresAt: new Date(at.getTime() + 3_600_000),
  endedAt: null,
  awaitingNote: false,
  draft: null,
  awaitingStart: false,
  editing: false,
  remindedAt: null,
  taskDefinitions: null,
  reworkId: null,
  ...over,
});

const read = (over: Partial<ApplyRead> = {}): ApplyRead => ({
  operatorId: 7,
  session: null,
  tasks: [],
  questionSentAt: null,
  afterOtherMessage: false,
  quoted: null,
  recentlyEnded: 'completed',
  tapped: null,
  ...over,
});

const confirmOf = (sessionId: string): InboundEvent => buttonEv(summaryButtonId(sessionId, 'CONFIRM'), 'Confirm');

describe('tappedSessionId', () => {
  it.each([
    {
      when: "a Confirm tap of another session's summary",
      event: confirmOf(OTHER_SESSION),
      active: row(),
      id: OTHER_SESSION,
    },
    { when: 'a Confirm tap with no active session', event: confirmOf(OTHER_SESSION), active: null, id: OTHER_SESSION },
    { when: "a tap of the active session's own button", event: confirmOf(SESSION), active: row(), id: null },
    {
      when: "an answer button of the active session's question",
      event: buttonEv(answerButtonId(SESSION, 0, 'OK'), 'OK'),
      active: row(),
      id: null,
    },
    { when: 'typed text', event: textEv('CONFIRM'), active: null, id: null },
    { when: 'a template payload that is no id of ours', event: buttonEv('Start', 'Start'), active: null, id: null },
  ])('when $when, then the session to read is $id', ({ event, active, id }) => {
    expect(tappedSessionId(event, active)).toBe(id);
  });
});

describe('planInbound when a button of another session is tapped', () => {
  it.each([
    {
      when: 'no session is active and the tapped one was submitted',
      r: read({ tapped: { status: 'completed', ...names } }),
      body: m.alreadySubmitted(names),
    },
    {
      when: 'no session is active and the tapped one was cancelled',
      r: read({ tapped: { status: 'cancelled', ...names }, recentlyEnded: 'cancelled' }),
      body: m.noActiveSession(),
    },
    {
      when: 'no session is active and the tap names no session of this operator',
      r: read({ tapped: null }),
      body: m.noActiveSession(),
    },
  ])('when $when, then the reply is one text', ({ r, body }) => {
    expect(planInbound(r, confirmOf(OTHER_SESSION), now, 0)).toEqual({
      kind: 'reply',
      sessionId: null,
      replies: [{ kind: 'text', body }],
      oncePerDay: false,
    });
  });

  it('when the next checklist runs and the tapped one was submitted, then it is named and the open question follows', () => {
    const r = read({ session: row(), tasks, tapped: { status: 'completed', ...names } });

    expect(planInbound(r, confirmOf(OTHER_SESSION), now, 0)).toEqual({
      kind: 'reply',
      sessionId: SESSION,
      replies: [questionReply(0, m.alreadySubmitted(names))],
      oncePerDay: false,
    });
  });
});

describe('the texts of the queue (item 17)', () => {
  const next = { template: 'Weekly', machine: 'Press 9' };
  it.each([
    { waiting: 0, startsNow: true, last: 'No other checklist is waiting for you.' },
    { waiting: 1, startsNow: true, last: '➡️ Next: "Weekly" for Press 9. Its first question follows now.' },
    { waiting: 2, startsNow: true, last: 'After it, 1 more checklist is waiting.' },
    { waiting: 4, startsNow: true, last: 'After it, 3 more checklists are waiting.' },
    { waiting: 1, startsNow: false, last: '➡️ Next: "Weekly" for Press 9.' },
  ])('when $waiting wait (starts now: $startsNow), then the thank-you ends "$last"', ({ waiting, startsNow, last }) => {
    const text = m.submitted(names, { waiting, next: waiting === 0 ? null : next, startsNow });

    expect(text.split('\n')[0]).toBe(m.completed());
    expect(text.split('\n')[1]).toBe('✅ "Daily press check" for Press 7 is complete.');
    expect(text.split('\n').at(-1)).toBe(last);
  });
});

describe('planInbound when CONFIRM is typed and no checklist is open', () => {
  it.each([
    { when: 'the latest one was submitted', ended: 'completed', body: 'CONFIRM', expected: m.alreadySubmittedTyped() },
    { when: 'it is typed with a full stop', ended: 'completed', body: 'confirm.', expected: m.alreadySubmittedTyped() },
    { when: 'the latest one was cancelled', ended: 'cancelled', body: 'CONFIRM', expected: m.noActiveSession() },
    { when: 'other text follows a submission', ended: 'completed', body: 'ok thanks', expected: m.noActiveSession() },
  ])('when $when, then the reply is the right line', ({ ended, body, expected }) => {
    const plan = planInbound(read({ recentlyEnded: ended }), textEv(body), now, 0);

    expect(plan).toEqual({
      kind: 'reply',
      sessionId: null,
      replies: [{ kind: 'text', body: expected }],
      oncePerDay: false,
    });
  });
});

// NOT OK alerts and Meta's 24-hour window: a manager who has not written to the business number in 24 hours
// gets WHATSAPP_ALERT_TEMPLATE (free-form text would be refused with 131047); one who wrote gets the text.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { messagesEn } from '../../src/conversation/messages.en.js';
import type { FakeSentMessage } from '../support/fake-graph-api.js';
import { startHarness, type Harness } from '../support/harness.js';
import { operatorWithWork, rows, waitUntil } from '../support/lifecycle.js';
import { deliver, messagesDelivery, textMessage } from '../support/meta-payloads.js';
import { say, settle } from '../support/settle.js';

const TEMPLATE = 'checklist_not_ok';
const QUIET_MANAGER = '+919833300001'; // never wrote: outside the window
const ACTIVE_MANAGER = '+919833300002'; // writes before the tests: inside the window
const TASKS = ['Check oil level', 'Check belt tension', 'Clean filter'];

type TemplateBody = {
  name: string;
  language: { code: string };
  components: { type: string; parameters: { type: string; text: string }[] }[];
};

/** The alert templates a phone received for one machine (its name is the first parameter). */
const templatesTo = (h: Harness, phone: string, machine: string) =>
  h.graph
    .sentTo(phone)
    .filter((m) => m.type === 'template')
    .map((m) => m.body.template as TemplateBody)
    .filter((t) => t.components[0]!.parameters[0]!.text === machine);
const alertTextsTo = (h: Harness, phone: string, machine: string) =>
  h.graph
    .sentTo(phone)
    .filter((m: FakeSentMessage) => m.type === 'text' && m.body.text!.body.startsWith(`⚠️ ${machine}:`))
    .map((m) => m.body.text!.body);

/** Answers the three tasks with two NOT OK (one remark spread over lines, with a tab and a run of spaces). */
async function answerWithNotOk(h: Harness, phone: string) {
  await say(h, phone, 'NOT OK - oil low\nleaking\tat the     seal', 'OK', 'NOT OK - filter torn');
}

const EXPECTED_FAILED = [
  { task: 'Check oil level', remarks: 'oil low\nleaking\tat the     seal' },
  { task: 'Clean filter', remarks: 'filter torn' },
];

describe('NOT OK alerts with WHATSAPP_ALERT_TEMPLATE', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({
      ALERT_PHONE_NUMBERS: `${QUIET_MANAGER},${ACTIVE_MANAGER}`,
      WHATSAPP_ALERT_TEMPLATE: TEMPLATE,
      WHATSAPP_TEMPLATE_LANGUAGE: 'en_US',
    });
    await deliver(h.app, messagesDelivery([textMessage(ACTIVE_MANAGER, 'hello')]));
    await settle(h);
  });
  afterAll(async () => {
    await h?.close();
  });

  it('when a manager has not written in 24 hours, then they get the alert template with single-line parameters and no text', async () => {
    const w = await operatorWithWork(h, TASKS);
    await w.assign();
    await answerWithNotOk(h, w.phone);

    await say(h, w.phone, 'CONFIRM');

    const [template, ...more] = templatesTo(h, QUIET_MANAGER, w.machine.name);
    expect(more).toEqual([]);
    expect(template).toEqual({
      name: TEMPLATE,
      language: { code: 'en_US' },
      components: [
        {
          type: 'body',
          parameters: [
            w.machine.name,
            w.template.name,
            '2',
            'Check oil level - oil low leaking at the seal; Clean filter - filter torn',
          ].map((text) => ({ type: 'text', text })),
        },
      ],
    });
    expect(alertTextsTo(h, QUIET_MANAGER, w.machine.name)).toEqual([]);
  });

  it('when a manager wrote within 24 hours, then they get the free-form alert text as before', async () => {
    const w = await operatorWithWork(h, TASKS);
    await w.assign();
    await answerWithNotOk(h, w.phone);

    await say(h, w.phone, 'CONFIRM');

    expect(alertTextsTo(h, ACTIVE_MANAGER, w.machine.name)).toEqual([
      messagesEn.notOkAlert(w.machine.name, w.template.name, EXPECTED_FAILED),
    ]);
    expect(templatesTo(h, ACTIVE_MANAGER, w.machine.name)).toEqual([]);
  });

  it('when two checklists with NOT OK answers are confirmed one after the other, then both queue the same alerts', async () => {
    const w = await operatorWithWork(h, TASKS);
    await w.assign();
    await w.assign(); // queued: starts when the first is confirmed
    await answerWithNotOk(h, w.phone);
    await say(h, w.phone, 'CONFIRM');
    const afterFirst = await alertPayloads(w.machine.name);
    expect(afterFirst.map((a) => [a.phone_number, a.kind])).toEqual([
      [QUIET_MANAGER, 'template'],
      [ACTIVE_MANAGER, 'text'],
    ]);
    // The next one starts in the CONFIRM's transaction.
    await waitUntil(
      'the queued checklist started',
      async () =>
        (
          await rows(h, `SELECT 1 FROM whatsapp_conversation_sessions WHERE phone_number = $1 AND status = 'active'`, [
            w.phone,
          ])
        ).length > 0,
    );
    await settle(h);
    await answerWithNotOk(h, w.phone);

    await say(h, w.phone, 'CONFIRM');
    h.runtime.outboxWorker.kick();
    await settle(h);

    const all = await alertPayloads(w.machine.name);
    expect(all).toHaveLength(4);
    expect(all.slice(2)).toEqual(afterFirst);
    expect(templatesTo(h, QUIET_MANAGER, w.machine.name)).toHaveLength(2);
    expect(alertTextsTo(h, ACTIVE_MANAGER, w.machine.name)).toHaveLength(2);
  });

  /** The alert rows queued for a machine, oldest first, as the outbox stored them. */
  async function alertPayloads(machine: string) {
    const found = await rows<{ phone_number: string; kind: string; payload: unknown }>(
      h,
      `
      SELECT phone_number, kind, payload FROM whatsapp_outbox
      WHERE session_id IS NULL AND phone_number = ANY($1::text[])
        AND (payload->'template'->'components'->0->'parameters'->0->>'text' = $2 OR payload->'text'->>'body' LIKE $3)
      ORDER BY id`,
      [[QUIET_MANAGER, ACTIVE_MANAGER], machine, `⚠️ ${machine}:%`],
    );
    return found;
  }
});

describe('NOT OK alerts without WHATSAPP_ALERT_TEMPLATE', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ ALERT_PHONE_NUMBERS: QUIET_MANAGER });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('when a manager has not written in 24 hours, then the text is still sent and Meta refuses it with 131047', async () => {
    const stop = h.graph.failWhen((a) => a.to === QUIET_MANAGER && a.type !== 'template', {
      status: 400,
      code: 131047,
      title: 'Re-engagement message',
    });
    try {
      const w = await operatorWithWork(h, TASKS);
      await w.assign();
      await answerWithNotOk(h, w.phone);

      await say(h, w.phone, 'CONFIRM');

      const outbox = await rows(
        h,
        'SELECT kind, status, error_code, payload FROM whatsapp_outbox WHERE phone_number = $1',
        [QUIET_MANAGER],
      );
      expect(outbox).toEqual([
        {
          kind: 'text',
          status: 'failed',
          error_code: 131047,
          payload: {
            type: 'text',
            text: { body: messagesEn.notOkAlert(w.machine.name, w.template.name, EXPECTED_FAILED), preview_url: false },
          },
        },
      ]);
      expect(h.graph.sentTo(QUIET_MANAGER)).toEqual([]);
    } finally {
      stop();
    }
  });
});

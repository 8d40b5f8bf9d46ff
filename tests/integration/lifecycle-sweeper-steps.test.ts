// Issue 14 item 6: one failing step of the lifecycle sweeper does not stop the others. Before, a pass
// that failed in its reminder step (REMINDER_AFTER_MINUTES=0.5: "invalid input syntax for type integer")
// never reached the start of waiting assignments. Here a step is broken for real in this test's own
// database: a trigger makes PostgreSQL refuse the statement the step runs.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { messagesEn } from '../../src/conversation/messages.en.js';
import { memoryLogger, PINO_ERROR, type LogLine } from '../support/fault-harness.js';
import { runScript } from '../support/run-script.js';
import { startHarness, type Harness } from '../support/harness.js';
import {
  assignmentOf,
  lifecyclePass,
  makeOverdue,
  operatorWithWork,
  sessionOf,
  switchWhatsApp,
} from '../support/lifecycle.js';
import { say, textOf } from '../support/settle.js';

let h: Harness;
let lines: LogLine[];
beforeAll(async () => {
  const memory = memoryLogger('info');
  lines = memory.lines;
  // No poll during the test: each pass is run by lifecyclePass.
  h = await startHarness({ REMINDER_AFTER_MINUTES: '1' }, { logger: memory.logger, lifecyclePollMs: 3_600_000 });
});
afterAll(async () => {
  await h?.close();
});
afterEach(async () => {
  await h.database.pool.query('DROP TRIGGER IF EXISTS broken_step ON whatsapp_conversation_sessions');
});

/** Makes PostgreSQL refuse every UPDATE of whatsapp_conversation_sessions that `when` (SQL on OLD/NEW) matches. */
async function breakUpdatesWhere(when: string) {
  await h.database.pool.query(`
    CREATE OR REPLACE FUNCTION broken_step() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN RAISE EXCEPTION 'this step is broken for the test'; END $$`);
  await h.database.pool.query(`
    CREATE TRIGGER broken_step BEFORE UPDATE ON whatsapp_conversation_sessions
    FOR EACH ROW WHEN (${when}) EXECUTE FUNCTION broken_step()`);
}

/** Three operators, one for each step: an overdue session, a silent one, and an assignment waiting to start. */
async function oneOfEach() {
  const overdue = await operatorWithWork(h);
  const silent = await operatorWithWork(h, ['Check oil level', 'Check belt tension']);
  const waiting = await operatorWithWork(h);
  const overdueA = await overdue.assign();
  await say(h, silent.phone, 'hello'); // inside the 24-hour window: the reminder is free-form text
  const silentA = await silent.assign();
  await switchWhatsApp(h, false);
  const waitingA = await waiting.assign();
  await switchWhatsApp(h, true);
  expect(waitingA.status).toBe('pending');
  await makeOverdue(h, overdueA.id);
  await h.database.pool.query(
    `UPDATE whatsapp_conversation_sessions
     SET last_message_at = (now() AT TIME ZONE 'UTC') - interval '2 minutes', created_at = (now() AT TIME ZONE 'UTC') - interval '3 minutes'
     WHERE assignment_id = $1 AND status = 'active'`,
    [silentA.id],
  );
  return { overdue, overdueA, silent, silentA, waiting, waitingA };
}

const reminded = (phone: string) => h.graph.textsTo(phone).some((t) => t.startsWith(messagesEn.reminder()));
const stepErrors = () => lines.filter((l) => l.level === PINO_ERROR && typeof l.step === 'string');

describe('issue 14 item 6: a lifecycle step that fails', () => {
  it('when the reminder step fails in PostgreSQL, then overdue sessions still expire and waiting assignments still start', async () => {
    const w = await oneOfEach();
    await breakUpdatesWhere('NEW.reminded_at IS DISTINCT FROM OLD.reminded_at');
    const errorsBefore = stepErrors().length;

    await lifecyclePass(h);

    expect((await sessionOf(h, w.overdueA.id))?.status).toBe('expired');
    expect(h.graph.textsTo(w.overdue.phone).at(-1)).toMatch(/has expired/);
    expect((await assignmentOf(h, w.waitingA.id)).status).toBe('active');
    expect(h.graph.textsTo(w.waiting.phone).map((t) => t.split('\n')[0])).toEqual([
      messagesEn.question(1, 1, 'Check oil level').split('\n')[0],
    ]);
    expect(reminded(w.silent.phone)).toBe(false);
    const logged = stepErrors().slice(errorsBefore);
    expect(logged.map((l) => [l.step, l.msg])).toEqual([
      ['remind silent operators', 'Lifecycle step failed: remind silent operators; the other steps still run'],
    ]);
  });

  it('when the expiry step fails, then the reminder and the waiting start after it still happen, and the next pass expires once fixed', async () => {
    const w = await oneOfEach();
    await breakUpdatesWhere(`NEW.status = 'expired'`);
    const errorsBefore = stepErrors().length;

    await lifecyclePass(h);

    expect((await sessionOf(h, w.overdueA.id))?.status).toBe('active');
    expect(reminded(w.silent.phone)).toBe(true);
    expect(textOf(h.graph.sentTo(w.silent.phone).at(-1)!)).toMatch(/^⏰ Reminder: .*\n\n📋 Question 1 of 2/s);
    expect((await assignmentOf(h, w.waitingA.id)).status).toBe('active');
    expect(
      stepErrors()
        .slice(errorsBefore)
        .map((l) => l.step),
    ).toEqual(['expire overdue sessions']);

    await h.database.pool.query('DROP TRIGGER broken_step ON whatsapp_conversation_sessions');
    await lifecyclePass(h);

    expect((await sessionOf(h, w.overdueA.id))?.status).toBe('expired');
  });
});

describe('issue 14 item 6: minutes are whole numbers', () => {
  it('when REMINDER_AFTER_MINUTES=0.5, then the server refuses to start (exit 1) and stderr names the variable', () => {
    const result = runScript('src/server.ts', [], { REMINDER_AFTER_MINUTES: '0.5' });

    expect(result.error).toBeUndefined();
    expect(result.status, result.stderr).toBe(1);
    expect(result.stderr).toContain('REMINDER_AFTER_MINUTES: must be a whole number of minutes');
  });
});

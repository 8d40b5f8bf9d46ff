// Editing operators (name, WhatsApp number) and machines (name, code) on the manager pages, and the rule that
// an operator's number does not change while a conversation runs on it (sessions are keyed by the number).
import { describe, expect, it } from 'vitest';
import { createMachine, createOperator, newPhone } from '../support/factories.js';
import type { Harness } from '../support/harness.js';
import { makeOverdue, operatorWithWork, rows, sessionOf, waitUntil } from '../support/lifecycle.js';
import { holdLocks, waitForLockWaiters } from '../support/pg-locks.js';
import { useSignedInHarness, type Agent, type FormPost } from '../support/admin.js';
import { say, settle } from '../support/settle.js';

let h: Harness;
let agent: Agent;
let post: FormPost;
useSignedInHarness((s) => ({ h, agent, post } = s));

const storedOperator = async (id: number) =>
  (
    await rows<{ name: string; phone_number: string }>(h, 'SELECT name, phone_number FROM operators WHERE id = $1', [
      id,
    ])
  )[0];
const storedMachine = async (id: number) =>
  (await rows<{ name: string; code: string }>(h, 'SELECT name, code FROM machines WHERE id = $1', [id]))[0];
/** An E.164 number as a person types it: +91 98123 45678. */
const spaced = (e164: string) => `${e164.slice(0, 3)} ${e164.slice(3, 8)} ${e164.slice(8)}`;
const talking = (name: string) =>
  `${name} has a checklist running on WhatsApp. Cancel it on the Assignments page or wait until it is confirmed, then change the number.`;
const question1To = (phone: string) => h.graph.textsTo(phone).filter((t) => t.startsWith('📋 Question 1 of 1'));

/** An assignment whose conversation expired: pending, waiting for a manager's Restart (the sweeper leaves it alone). */
async function expiredAssignment(w: Awaited<ReturnType<typeof operatorWithWork>>) {
  const a = await w.assign();
  await settle(h);
  await makeOverdue(h, a.id);
  h.runtime.lifecycleWorker.kick();
  await waitUntil(
    'the assignment to wait for a restart',
    async () =>
      (
        await rows<{ last_expired_at: Date | null }>(
          h,
          'SELECT last_expired_at FROM checklist_assignments WHERE id = $1',
          [a.id],
        )
      )[0]?.last_expired_at,
  );
  await settle(h);
  return a;
}

describe('editing an operator', () => {
  it('when the name and a typed number are saved, then 303 to the list, which shows both, and the number is stored in E.164', async () => {
    const operator = await createOperator(h, { name: 'Ravi' });
    const phone = newPhone();
    const form = await agent.get(`/operators/${operator.id}/edit`);

    const res = await post(`/operators/${operator.id}/edit`, { name: 'Ravi Kumar', phoneNumber: spaced(phone) });

    expect(form.status).toBe(200);
    expect(form.text).toContain('value="Ravi"');
    expect(form.text).toContain(`value="${operator.phoneNumber}"`);
    expect([res.status, res.headers.location]).toEqual([303, '/operators']);
    const list = await agent.get('/operators');
    expect(list.text).toContain(`Operator Ravi Kumar updated (${phone}).`);
    expect(list.text).toContain(`href="/operators/${operator.id}/edit"`);
    expect(await storedOperator(operator.id)).toEqual({ name: 'Ravi Kumar', phone_number: phone });
  });

  it('when the number is not a phone number, then 400 with the message next to it, the typed values back and nothing saved', async () => {
    const operator = await createOperator(h, { name: 'Sunil' });

    const res = await post(`/operators/${operator.id}/edit`, { name: 'Sunil K', phoneNumber: '12345' });

    expect(res.status).toBe(400);
    expect(res.text).toContain('id="phoneNumber-error">This is not a phone number. Type the operator');
    expect(res.text).toContain('value="Sunil K"');
    expect(await storedOperator(operator.id)).toEqual({ name: 'Sunil', phone_number: operator.phoneNumber });
  });

  it("when the stored number would not pass today's check and is left as it is, then the name still changes", async () => {
    const operator = await createOperator(h, { name: 'Demo' });
    // As the simulator's seed stores it (a fictional +1 555 number), or as WhatsApp delivered it.
    await rows(h, 'UPDATE operators SET phone_number = $1 WHERE id = $2', ['+15550009876', operator.id]);

    const res = await post(`/operators/${operator.id}/edit`, { name: 'Demo Operator', phoneNumber: '+15550009876' });

    expect([res.status, res.headers.location]).toEqual([303, '/operators']);
    expect(await storedOperator(operator.id)).toEqual({ name: 'Demo Operator', phone_number: '+15550009876' });
  });

  it('when the number belongs to another operator, then 409 naming that operator and nothing saved', async () => {
    const [operator, other] = await Promise.all([
      createOperator(h, { name: 'Anil' }),
      createOperator(h, { name: 'Sunil' }),
    ]);

    const res = await post(`/operators/${operator.id}/edit`, { name: 'Anil', phoneNumber: spaced(other.phoneNumber) });

    expect(res.status).toBe(409);
    expect(res.text).toContain(
      `id="phoneNumber-error">The number ${other.phoneNumber} already belongs to another operator, Sunil.<`,
    );
    expect(await storedOperator(operator.id)).toEqual({ name: 'Anil', phone_number: operator.phoneNumber });
  });

  it('when the operator does not exist, then the page and the form answer 404', async () => {
    const page = await agent.get('/operators/2147483647/edit');
    const save = await post('/operators/2147483647/edit', { name: 'Nobody', phoneNumber: newPhone() });

    expect([page.status, save.status]).toEqual([404, 404]);
    expect(page.text).toContain('Operator not found');
  });

  it('when the id is malformed, then 404 (never 500) for operators and machines', async () => {
    for (const id of ['abc', '0', '-1', '1.5', '99999999999', '%00']) {
      for (const kind of ['operators', 'machines']) {
        const page = await agent.get(`/${kind}/${id}/edit`);
        const save = await post(`/${kind}/${id}/edit`, { name: 'X', phoneNumber: newPhone(), code: 'X-1' });

        expect([page.status, save.status], `${kind}/${id}`).toEqual([404, 404]);
      }
    }
  });

  it('when an edit is posted without the CSRF token, then 403 and nothing changes', async () => {
    const [operator, machine] = await Promise.all([
      createOperator(h, { name: 'Ravi' }),
      createMachine(h, { name: 'Press 7' }),
    ]);

    const a = await agent
      .post(`/operators/${operator.id}/edit`)
      .type('form')
      .send({ name: 'Forged', phoneNumber: newPhone() });
    const b = await agent.post(`/machines/${machine.id}/edit`).type('form').send({ name: 'Forged', code: 'FORGED-2' });

    expect([a.status, b.status]).toEqual([403, 403]);
    expect(a.text).toContain('form has expired');
    expect(await storedOperator(operator.id)).toEqual({ name: 'Ravi', phone_number: operator.phoneNumber });
    expect(await storedMachine(machine.id)).toEqual({ name: 'Press 7', code: machine.code });
  });
});

describe('the number of an operator who is answering a checklist', () => {
  it('when the number is changed while the conversation runs, then 409 with the reason and a link to it; the name alone can change', async () => {
    const w = await operatorWithWork(h);
    const a = await w.assign();
    await settle(h);

    const refused = await post(`/operators/${w.operator.id}/edit`, { name: 'Ravi', phoneNumber: newPhone() });
    const renamed = await post(`/operators/${w.operator.id}/edit`, {
      name: 'Ravi Kumar',
      phoneNumber: spaced(w.phone),
    });

    expect(refused.status).toBe(409);
    expect(refused.text).toContain(`id="phoneNumber-error">${talking('Ravi')}`);
    expect(refused.text).toContain(`href="/assignments/${a.id}"`);
    expect(renamed.status).toBe(303);
    expect(await storedOperator(w.operator.id)).toEqual({ name: 'Ravi Kumar', phone_number: w.phone });
    expect(await sessionOf(h, a.id)).toMatchObject({ status: 'active' });
  });

  it('when the conversation was confirmed, then the number changes and the next assignment sends Question 1 to the new number', async () => {
    const w = await operatorWithWork(h);
    await w.assign();
    await say(h, w.phone, 'OK', 'CONFIRM');
    const phone = newPhone();

    const res = await post(`/operators/${w.operator.id}/edit`, { name: 'Ravi', phoneNumber: phone });
    const next = await w.assign();
    await settle(h);

    expect(res.status).toBe(303);
    expect(next.status).toBe('active');
    expect(question1To(phone)).toHaveLength(1);
    expect(question1To(w.phone)).toHaveLength(1); // only the first checklist's
  });

  it('when the conversation was cancelled, then the number changes and the next assignment goes to the new number', async () => {
    const w = await operatorWithWork(h);
    const a = await w.assign();
    await settle(h);
    expect((await h.api.post(`/api/assignments/${a.id}/cancel`)).status).toBe(200);
    const phone = newPhone();

    const res = await post(`/operators/${w.operator.id}/edit`, { name: 'Ravi', phoneNumber: phone });
    await w.assign();
    await settle(h);

    expect(res.status).toBe(303);
    expect(question1To(phone)).toHaveLength(1);
    expect(question1To(w.phone)).toHaveLength(1);
  });

  it('when a conversation expired, then the number changes and Restart reads the new one: Question 1 goes there', async () => {
    const w = await operatorWithWork(h);
    const a = await expiredAssignment(w);
    const phone = newPhone();

    const res = await post(`/operators/${w.operator.id}/edit`, { name: 'Ravi', phoneNumber: phone });
    const restart = await post(`/assignments/${a.id}/restart`);
    await settle(h);

    expect([res.status, restart.status]).toEqual([303, 303]);
    expect(question1To(phone)).toHaveLength(1);
    expect(
      await rows(
        h,
        "SELECT phone_number FROM whatsapp_conversation_sessions WHERE assignment_id = $1 AND status = 'active'",
        [a.id],
      ),
    ).toEqual([{ phone_number: phone }]);
  });
});

describe('a number change racing the start of a conversation', () => {
  it('when the change holds the operator row as a start begins, then the start waits and reads the new number', async () => {
    const w = await operatorWithWork(h);
    const a = await expiredAssignment(w);
    const phone = newPhone();
    // An uncommitted operator with the new number stops the change's UPDATE (unique check) after it locked the row.
    const barrier = await holdLocks(h, ["INSERT INTO operators (name, phone_number) VALUES ('Barrier', $1)", [phone]]);
    let edit, start;
    try {
      const editing = post(`/operators/${w.operator.id}/edit`, { name: 'Ravi', phoneNumber: phone }).then((r) => r);
      await waitForLockWaiters(h, 1, '%update "operators"%');
      const starting = h.api.post(`/api/assignments/${a.id}/start`).then((r) => r);
      // The start waits for the operator row: in its first statement (FOR KEY SHARE OF o), before it reads the
      // number. (Without that lock it would wait only in its insert, having read the old number.)
      await waitForLockWaiters(h, 2);
      await barrier.rollback();
      [edit, start] = await Promise.all([editing, starting]);
    } finally {
      await barrier.rollback();
    }
    await settle(h);

    expect([edit.status, start.status]).toEqual([303, 200]);
    expect(
      await rows(
        h,
        "SELECT phone_number FROM whatsapp_conversation_sessions WHERE assignment_id = $1 AND status = 'active'",
        [a.id],
      ),
    ).toEqual([{ phone_number: phone }]);
    expect(question1To(phone)).toHaveLength(1);
  });

  it('when a start holds the operator row as the number is changed, then the change waits, sees the new conversation and is refused', async () => {
    const w = await operatorWithWork(h);
    const a = await expiredAssignment(w);
    // Stops the start after its first statement: the new submission's foreign-key check on the machine waits.
    const barrier = await holdLocks(h, ['SELECT id FROM machines WHERE id = $1 FOR UPDATE', [w.machine.id]]);
    let edit, start;
    try {
      const starting = h.api.post(`/api/assignments/${a.id}/start`).then((r) => r);
      await waitForLockWaiters(h, 1, '%insert into checklist_submissions%');
      const editing = post(`/operators/${w.operator.id}/edit`, { name: 'Ravi', phoneNumber: newPhone() }).then(
        (r) => r,
      );
      await waitForLockWaiters(h, 1, '%from "operators"%for update%');
      await barrier.commit();
      [edit, start] = await Promise.all([editing, starting]);
    } finally {
      await barrier.rollback();
    }

    expect([start.status, edit.status]).toEqual([200, 409]);
    expect(edit.text).toContain(talking('Ravi'));
    expect(await storedOperator(w.operator.id)).toEqual({ name: 'Ravi', phone_number: w.phone });
  });
});

describe('editing a machine', () => {
  it('when the name and code are saved, then 303 to the list, which shows both', async () => {
    const machine = await createMachine(h, { name: 'Press 7' });
    const form = await agent.get(`/machines/${machine.id}/edit`);

    const res = await post(`/machines/${machine.id}/edit`, { name: 'Press 8', code: '  PR-08-EDIT ' });

    expect(form.status).toBe(200);
    expect(form.text).toContain(`value="${machine.code}"`);
    expect([res.status, res.headers.location]).toEqual([303, '/machines']);
    const list = await agent.get('/machines');
    expect(list.text).toContain('Machine Press 8 (PR-08-EDIT) updated.');
    expect(await storedMachine(machine.id)).toEqual({ name: 'Press 8', code: 'PR-08-EDIT' });
  });

  it('when the code is empty, then 400 next to it; when it belongs to another machine, then 409 and nothing saved', async () => {
    const [machine, other] = await Promise.all([
      createMachine(h, { name: 'Lathe' }),
      createMachine(h, { name: 'Drill' }),
    ]);

    const empty = await post(`/machines/${machine.id}/edit`, { name: 'Lathe 2', code: ' ' });
    const taken = await post(`/machines/${machine.id}/edit`, { name: 'Lathe 2', code: other.code });

    expect(empty.status).toBe(400);
    expect(empty.text).toContain('id="code-error">is required');
    expect(taken.status).toBe(409);
    expect(taken.text).toContain(`id="code-error">The code ${other.code} is already used by another machine`);
    expect(taken.text).toContain('value="Lathe 2"');
    expect(await storedMachine(machine.id)).toEqual({ name: 'Lathe', code: machine.code });
  });

  it('when the machine does not exist, then the page and the form answer 404', async () => {
    const page = await agent.get('/machines/2147483647/edit');
    const save = await post('/machines/2147483647/edit', { name: 'Nothing', code: 'NONE-1' });

    expect([page.status, save.status]).toEqual([404, 404]);
    expect(save.text).toContain('Machine not found');
  });
});

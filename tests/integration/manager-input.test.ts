// What a manager types, on the pages and through the API: phone numbers are read with DEFAULT_COUNTRY, and
// names lose control characters (bidi overrides) before they are stored or shown.
import { describe, expect, it } from 'vitest';
import { assignChecklist, createMachine, createOperator, createTemplate } from '../support/factories.js';
import type { Harness } from '../support/harness.js';
import { useSignedInHarness, type Agent, type FormPost } from '../support/admin.js';
import { rows } from '../support/lifecycle.js';
import { errorOf, type OperatorBody } from '../support/api-bodies.js';

let h: Harness;
let agent: Agent;
let post: FormPost;
useSignedInHarness((s) => ({ h, agent, post } = s));

const NOT_IN_INDIA =
  'There is no phone number with these digits in India (+91). Please check them; for a number in another country, ' +
  'type + and its country code first, for example +44 20 7946 0958.';
const BIDI = /[\u200E\u200F\u061C\u202A-\u202E\u2066-\u2069]/;
const operatorsNamed = async (name: string) =>
  rows<{ name: string; phone_number: string }>(h, 'SELECT name, phone_number FROM operators WHERE name = $1', [name]);
/** The flash of the page a form's 303 leads to. */
const flashAfter = async (res: { status: number; headers: Record<string, string> }) => {
  expect(res.status).toBe(303);
  const page = await agent.get(res.headers.location!);
  return /<p class="flash flash--(\w+)"[^>]*>([^<]*)<\/p>/.exec(page.text)?.slice(1) ?? [];
};

describe('a phone number typed without its country code (DEFAULT_COUNTRY, India by default)', () => {
  it('when a 10-digit number without + is added on /operators, then it is read as Indian and stored with +91', async () => {
    const res = await post('/operators', { name: 'Local', phoneNumber: '98123 41020' });

    const [kind, text] = await flashAfter(res);
    expect(kind).toBe('ok');
    expect(text).toBe('Operator Local added (+919812341020).');
    expect(await operatorsNamed('Local')).toEqual([{ name: 'Local', phone_number: '+919812341020' }]);
  });

  it('when the number is sent with +91, 0091 or as 12 bare digits, then it is stored as +91', async () => {
    const typed = ['+91 98123 41001', '0091 98123 41002', '919812341003'];

    const responses = await Promise.all(
      typed.map((phoneNumber, i) => post('/operators', { name: `Intl ${i}`, phoneNumber })),
    );

    expect(responses.map((r) => r.status)).toEqual([303, 303, 303]);
    expect(
      (await Promise.all(typed.map((_, i) => operatorsNamed(`Intl ${i}`)))).map((r) => r[0]?.phone_number),
    ).toEqual(['+919812341001', '+919812341002', '+919812341003']);
  });

  it('when an operator is edited to digits no Indian number has, then 400 with a sentence and the number is unchanged', async () => {
    const operator = await createOperator(h, { name: 'Edited' });

    const res = await post(`/operators/${operator.id}/edit`, { name: 'Edited', phoneNumber: '55512 34567' });

    expect(res.status).toBe(400);
    expect(res.text).toContain(`id="phoneNumber-error">${NOT_IN_INDIA}`);
    expect(res.text).toContain('value="55512 34567"');
    expect((await operatorsNamed('Edited'))[0]?.phone_number).toBe(operator.phoneNumber);
  });

  it('when the API gets digits no Indian number has, then 400 validation_failed naming phoneNumber; digits with a foreign country code and no + are international', async () => {
    const refused = await h.api.post('/api/operators', { name: 'Api local', phoneNumber: '5551234567' });
    const uk = await h.api.post('/api/operators', { name: 'Api UK', phoneNumber: '447911123456' });

    expect(refused.status).toBe(400);
    expect(errorOf(refused)).toMatchObject({
      code: 'validation_failed',
      details: { fields: [{ field: 'phoneNumber', message: NOT_IN_INDIA }] },
    });
    expect(await operatorsNamed('Api local')).toEqual([]);
    expect(uk.status).toBe(201);
    expect((uk.body as OperatorBody).phoneNumber).toBe('+447911123456');
  });
});

describe('control characters in names', () => {
  it('when an operator name holds a right-to-left override, then it is stored and flashed without it, the number reading forwards', async () => {
    const res = await post('/operators', { name: 'Bidi2 \u202Eevil', phoneNumber: '+91 98123 41010' });

    const [kind, text] = await flashAfter(res);
    expect(kind).toBe('ok');
    expect(text).toBe('Operator Bidi2 evil added (+919812341010).');
    expect(await operatorsNamed('Bidi2 evil')).toHaveLength(1);
  });

  it('when names come through the API with controls, then machines, templates and tasks are stored clean', async () => {
    const machine = await h.api.post('/api/machines', { name: '\u2067Press\u0007 9\u2069', code: 'PR-\u202E09' });
    const template = await h.api.post('/api/templates', {
      name: 'Daily\u200F check',
      tasks: [{ text: 'Check oil\nlevel\u202C' }],
    });

    expect(machine.status).toBe(201);
    expect(machine.body).toMatchObject({ name: 'Press 9', code: 'PR-09' });
    expect(template.status).toBe(201);
    expect(template.body).toMatchObject({ name: 'Daily check', tasks: [{ text: 'Check oil level' }] });
  });

  it('when a name is only control characters, then it is the usual "is required"', async () => {
    const page = await post('/machines', { name: '\u202E\u0007', code: 'EMPTY-1' });
    const api = await h.api.post('/api/operators', { name: ' \u202E ', phoneNumber: '+91 98123 41011' });

    expect(page.status).toBe(400);
    expect(page.text).toContain('id="name-error">is required');
    expect(api.status).toBe(400);
    expect(errorOf(api)?.details?.fields).toEqual([{ field: 'name', message: 'is required' }]);
  });

  it('when a name is only invisible letters (Hangul fillers), then it is refused like a blank one', async () => {
    const page = await post('/operators', { name: '\u3164', phoneNumber: '+91 98123 41012' });
    const api = await h.api.post('/api/machines', { name: '\u3164\u3164', code: 'HF-1' });

    expect(page.status).toBe(400);
    expect(page.text).toContain('id="name-error">is required');
    expect(api.status).toBe(400);
    expect(errorOf(api)?.details).toEqual({ fields: [{ field: 'name', message: 'is required' }] });
    expect(await operatorsNamed('\u3164')).toEqual([]);
  });

  it('when a checklist is renamed and a task added on its page with controls, then both are stored clean', async () => {
    const template = await createTemplate(h, ['Check oil level']);

    await post(`/templates/${template.id}`, { name: '\u202ERenamed\u202C' });
    await post(`/templates/${template.id}/tasks`, { text: 'Clean\u2066 filter\u2069' });

    const stored = await rows<{ name: string; texts: string[] }>(
      h,
      'SELECT t.name, array_agg(k.text ORDER BY k.position) AS texts FROM checklist_templates t JOIN checklist_template_tasks k ON k.template_id = t.id WHERE t.id = $1 GROUP BY t.name',
      [template.id],
    );
    expect(stored).toEqual([{ name: 'Renamed', texts: ['Check oil level', 'Clean filter'] }]);
    expect(JSON.stringify(stored)).not.toMatch(BIDI);
  });
});

describe('assigning to a busy operator', () => {
  it('when the checklist is queued behind a running one, then the flash is an ok message, not an error', async () => {
    const running = await assignChecklist(h);
    const [machine, template] = await Promise.all([createMachine(h), createTemplate(h, ['Check belts'])]);

    const res = await post('/assignments', {
      templateId: String(template.id),
      machineId: String(machine.id),
      operatorId: String(running.operator.id),
    });

    const [kind, text] = await flashAfter(res);
    expect(kind).toBe('ok');
    expect(text).toContain('Queued: the operator is answering another checklist');
  });
});

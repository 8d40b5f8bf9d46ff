// What a manager types, on the pages and through the API: phone numbers need their country code.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOperator } from '../support/factories.js';
import type { Harness } from '../support/harness.js';
import { signedInHarness, type FormPost } from '../support/admin.js';
import { rows } from '../support/lifecycle.js';

let h: Harness;
let post: FormPost;
beforeAll(async () => {
  ({ h, post } = await signedInHarness());
});
afterAll(async () => {
  await h?.close();
});

const NO_COUNTRY_CODE = 'has no country code: add it after a +, e.g. +91 98123 45678';
const operatorsNamed = async (name: string) => rows<{ name: string; phone_number: string }>(h, 'SELECT name, phone_number FROM operators WHERE name = $1', [name]);

describe('a phone number typed without its country code', () => {
  it('when a 10-digit number without + is added on /operators, then 400 next to the field and nothing is stored', async () => {
    const res = await post('/operators', { name: 'Local', phoneNumber: '98123 45678' });

    expect(res.status).toBe(400);
    expect(res.text).toContain(`id="phoneNumber-error">${NO_COUNTRY_CODE}`);
    expect(res.text).toContain('value="98123 45678"');
    expect(await operatorsNamed('Local')).toEqual([]);
  });

  it('when the number is sent with +91, 0091 or as 12 bare digits, then it is stored as +91', async () => {
    const typed = ['+91 98123 41001', '0091 98123 41002', '919812341003'];

    const responses = await Promise.all(typed.map((phoneNumber, i) => post('/operators', { name: `Intl ${i}`, phoneNumber })));

    expect(responses.map((r) => r.status)).toEqual([303, 303, 303]);
    expect((await Promise.all(typed.map((_, i) => operatorsNamed(`Intl ${i}`)))).map((r) => r[0]?.phone_number)).toEqual(['+919812341001', '+919812341002', '+919812341003']);
  });

  it('when an operator is edited to a 10-digit number without +, then 400 and the number is unchanged', async () => {
    const operator = await createOperator(h, { name: 'Edited' });

    const res = await post(`/operators/${operator.id}/edit`, { name: 'Edited', phoneNumber: '9812345670' });

    expect(res.status).toBe(400);
    expect(res.text).toContain(`id="phoneNumber-error">${NO_COUNTRY_CODE}`);
    expect((await operatorsNamed('Edited'))[0]?.phone_number).toBe(operator.phoneNumber);
  });

  it('when the API gets 10 bare digits, then 400 validation_failed naming phoneNumber; 11 bare digits are international', async () => {
    const refused = await h.api.post('/api/operators', { name: 'Api local', phoneNumber: '9812345670' });
    const us = await h.api.post('/api/operators', { name: 'Api US', phoneNumber: '15551234567' });

    expect(refused.status).toBe(400);
    expect(refused.body.error).toMatchObject({ code: 'validation_failed', details: { fields: [{ field: 'phoneNumber', message: NO_COUNTRY_CODE }] } });
    expect(await operatorsNamed('Api local')).toEqual([]);
    expect(us.status).toBe(201);
    expect(us.body.phoneNumber).toBe('+15551234567');
  });
});

import { describe, expect, it } from 'vitest';
import { extractUpdates } from '../../src/whatsapp/webhook-schemas.js';

const TS = 1732500000;
const msg = (id: string, extra: object = {}) => ({
  from: '919812345678',
  id,
  timestamp: String(TS),
  type: 'text',
  text: { body: 'OK' },
  ...extra,
});
const status = (id: string, s = 'delivered', extra: object = {}) => ({
  id,
  status: s,
  timestamp: String(TS),
  recipient_id: '919812345678',
  ...extra,
});
const change = (value: object) => ({ field: 'messages', value: { messaging_product: 'whatsapp', ...value } });
const delivery = (...entries: object[][]) => ({
  object: 'whatsapp_business_account',
  entry: entries.map((changes, i) => ({ id: `waba-${i}`, changes })),
});
const ids = (r: ReturnType<typeof extractUpdates>) => ({
  messages: r.messages.map((m) => m.id),
  statuses: r.statuses.map((s) => s.id),
  skipped: r.skipped,
});

describe('extractUpdates', () => {
  it('when a delivery batches entries, changes, messages and statuses, then every one of them is walked in order', () => {
    const body = delivery(
      [change({ messages: [msg('m1'), msg('m2')], statuses: [status('s1')] }), change({ messages: [msg('m3')] })],
      [
        change({
          statuses: [
            status('s2', 'read'),
            status('s3', 'failed', { errors: [{ code: 131047, title: 'Re-engagement message' }] }),
          ],
        }),
        change({ messages: [msg('m4')] }),
      ],
    );

    const result = extractUpdates(body);

    expect(ids(result)).toEqual({ messages: ['m1', 'm2', 'm3', 'm4'], statuses: ['s1', 's2', 's3'], skipped: 0 });
    expect(result.statuses[2]).toMatchObject({
      status: 'failed',
      errors: [{ code: 131047, title: 'Re-engagement message' }],
    });
  });

  it.each([
    { name: 'a string', timestamp: String(TS) },
    { name: 'a number', timestamp: TS },
  ])('when the timestamp is $name, then it becomes that instant', ({ timestamp }) => {
    const result = extractUpdates(
      delivery([change({ messages: [msg('m1', { timestamp })], statuses: [status('s1', 'sent', { timestamp })] })]),
    );

    expect(result.messages[0]?.timestamp).toEqual(new Date(TS * 1000));
    expect(result.statuses[0]?.timestamp).toEqual(new Date(TS * 1000));
  });

  it.each([
    { name: 'beyond what a date can hold', timestamp: 99999999999999 },
    { name: 'a 12-digit string (year 33658)', timestamp: '999999999999' },
    { name: 'an hour ahead of our clock', timestamp: Math.floor(Date.now() / 1000) + 3600 },
    { name: 'not a number', timestamp: 'yesterday' },
    { name: 'negative', timestamp: '-5' },
    { name: 'an empty string', timestamp: '' },
    { name: 'null', timestamp: null },
    { name: 'missing', timestamp: undefined },
  ])('when the timestamp is $name, then the receive time stands in for it', ({ timestamp }) => {
    const before = Date.now();
    const result = extractUpdates(
      delivery([change({ messages: [msg('m1', { timestamp })], statuses: [status('s1', 'sent', { timestamp })] })]),
    );

    for (const at of [result.messages[0]?.timestamp, result.statuses[0]?.timestamp]) {
      expect(at?.getTime()).toBeGreaterThanOrEqual(before);
      expect(at?.getTime()).toBeLessThanOrEqual(Date.now());
    }
  });

  it("when the timestamp is a minute ahead of our clock (Meta's may run a little fast), then it is kept", () => {
    const ahead = Math.floor(Date.now() / 1000) + 60;

    const [m] = extractUpdates(delivery([change({ messages: [msg('m1', { timestamp: String(ahead) })] })])).messages;

    expect(m?.timestamp).toEqual(new Date(ahead * 1000));
  });

  it('when a text holds NUL or a lone surrogate, then NUL is dropped and the surrogate becomes U+FFFD', () => {
    const [m] = extractUpdates(
      delivery([change({ messages: [msg('m1', { text: { body: 'OK - a\u0000b \ud83d c \ud83d\ude00' } })] })]),
    ).messages;

    expect((m?.text as { body: string }).body).toBe('OK - ab \ufffd c \ud83d\ude00');
  });

  it('when a message keeps fields we do not model, then they are kept as-is', () => {
    const extra = {
      context: { from: '15550783881', id: 'wamid.OLD' },
      image: { id: '123', mime_type: 'image/jpeg', caption: 'OK' },
    };

    const [m] = extractUpdates(delivery([change({ messages: [msg('m1', { type: 'image', ...extra })] })])).messages;

    expect(m).toMatchObject({ type: 'image', ...extra });
  });

  it.each([
    { name: 'no id', bad: { from: '919812345678', timestamp: String(TS), type: 'text' } },
    { name: 'no from', bad: { id: 'x', timestamp: String(TS), type: 'text' } },
    { name: 'no type', bad: { id: 'x', from: '919812345678', timestamp: String(TS) } },
    { name: 'a string instead of an object', bad: 'wamid.x' },
  ])('when a message has $name, then it is skipped and counted and its neighbours survive', ({ bad }) => {
    const result = extractUpdates(delivery([change({ messages: [msg('m1'), bad, msg('m2')] })]));

    expect(ids(result)).toEqual({ messages: ['m1', 'm2'], statuses: [], skipped: 1 });
  });

  it.each([
    { name: 'an unknown status', bad: status('x', 'deleted') },
    { name: 'no id', bad: { status: 'read', timestamp: String(TS) } },
  ])('when a status has $name, then it is skipped and counted', ({ bad }) => {
    const result = extractUpdates(delivery([change({ statuses: [status('s1'), bad] })]));

    expect(ids(result)).toEqual({ messages: [], statuses: ['s1'], skipped: 1 });
  });

  it.each([
    { name: 'null', body: null, skipped: 1 },
    { name: 'an array', body: [1, 2], skipped: 1 },
    { name: 'a string', body: 'hello', skipped: 1 },
    { name: 'an object of another shape', body: { hello: 'world' }, skipped: 0 },
    {
      name: 'an entry with no changes',
      body: { object: 'whatsapp_business_account', entry: [{ id: '1' }] },
      skipped: 0,
    },
    { name: 'a change with no value (account update)', body: delivery([{ field: 'account_update' }]), skipped: 0 },
  ])('when the body is $name, then nothing is extracted', ({ body, skipped }) => {
    expect(ids(extractUpdates(body))).toEqual({ messages: [], statuses: [], skipped });
  });

  it('when one change is malformed, then the messages of the other changes are still extracted', () => {
    const body = delivery(
      [change({ messages: [msg('m1')] }), change({ messages: { not: 'an array' } })],
      [change({ messages: [msg('m2')] })],
    );

    expect(ids(extractUpdates(body))).toEqual({ messages: ['m1', 'm2'], statuses: [], skipped: 1 });
  });

  it('when a timestamp is written as a decimal (1.5e9), then it is read as that instant', () => {
    const [m] = extractUpdates(delivery([change({ messages: [msg('m1', { timestamp: '1.5e9' })] })])).messages;

    expect(m?.timestamp).toEqual(new Date(1.5e12));
  });
});

describe('extractUpdates: people known by a number, a BSUID or both', () => {
  const BSUID = 'US.13491208655302741918';
  const { from: _from, ...noFrom } = msg('x');

  it.each([
    { name: 'from and from_user_id', m: msg('a', { from_user_id: BSUID }), kept: true },
    { name: 'from_user_id only', m: { ...noFrom, id: 'b', from_user_id: BSUID }, kept: true },
    { name: 'from only', m: msg('c'), kept: true },
    { name: 'neither', m: { ...noFrom, id: 'd' }, kept: false },
    {
      name: 'a from_user_id that is no id and no from',
      m: { ...noFrom, id: 'e', from_user_id: '+123 45' },
      kept: false,
    },
  ])('when a message carries $name, then it is kept: $kept', ({ m, kept }) => {
    const r = extractUpdates(delivery([change({ messages: [m] })]));

    expect(r.messages).toHaveLength(kept ? 1 : 0);
    expect(r.skipped).toBe(kept ? 0 : 1);
  });

  it('when contacts, messages and statuses carry numbers with BSUIDs, then each pair is told with its names', () => {
    const body = delivery([
      change({
        contacts: [{ wa_id: '919812345678', user_id: BSUID, profile: { name: 'Ravi', username: 'ravi.press' } }],
        messages: [msg('m1', { from_user_id: BSUID })],
        statuses: [status('s1', 'delivered', { recipient_user_id: 'US.77' })],
      }),
    ]);

    const r = extractUpdates(body);

    expect(r.people).toEqual([
      { waId: '919812345678', userId: BSUID, name: 'Ravi', username: 'ravi.press' },
      { waId: '919812345678', userId: BSUID, name: null, username: null },
      { waId: '919812345678', userId: 'US.77', name: null, username: null },
    ]);
  });

  it('when a status carries recipient_user_id and no recipient_id, then it is kept', () => {
    const { recipient_id: _r, ...bare } = status('s2');
    const r = extractUpdates(delivery([change({ statuses: [{ ...bare, recipient_user_id: BSUID }] })]));

    expect(r.statuses.map((s) => s.id)).toEqual(['s2']);
    expect(r.people).toEqual([{ waId: null, userId: BSUID, name: null, username: null }]);
  });
});

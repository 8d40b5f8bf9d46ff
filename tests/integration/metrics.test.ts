import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assignChecklist } from '../support/factories.js';
import { API_TOKEN, startHarness, type Harness } from '../support/harness.js';
import { say, settle } from '../support/settle.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.close();
});

const value = (text: string, name: string) => {
  const line = text.split('\n').find((l) => l.startsWith(`${name} `) || l.startsWith(`${name}{`));
  return line ? Number(line.split(' ').at(-1)) : NaN;
};

describe('GET /metrics', () => {
  it('when a checklist is answered, then the Prometheus text has the transaction, webhook, message and backlog figures', async () => {
    const s = await assignChecklist(h, ['Check oil level', 'Check belts']);
    await settle(h);
    await say(h, s.operator.phoneNumber, 'OK - fine');

    const res = await request(h.app).get('/metrics');

    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    expect(value(res.text, 'kinto_locked_tx_duration_seconds_count')).toBeGreaterThanOrEqual(1);
    expect(value(res.text, 'kinto_webhook_ack_duration_seconds_count{status="200"}')).toBeGreaterThanOrEqual(1);
    expect(res.text).toMatch(/kinto_inbound_messages_total\{type="text"\} [1-9]/);
    expect(res.text).toMatch(/kinto_outbound_sends_total\{result="sent",code=""\} [1-9]/);
    expect(value(res.text, 'kinto_outbox_backlog')).toBe(0);
    expect(value(res.text, 'kinto_sessions_active')).toBeGreaterThanOrEqual(1);
    expect(res.text).toContain('kinto_photo_storage_bytes');
    expect(res.text).toContain('kinto_failed_delivery_ratio_24h');
  });

  it('when the request comes through a proxy without the API token, then 401; with it, 200', async () => {
    const viaProxy = () => request(h.app).get('/metrics').set('X-Forwarded-For', '203.0.113.9');
    expect((await viaProxy()).status).toBe(401);
    expect((await viaProxy().set('Authorization', `Bearer ${API_TOKEN}`)).status).toBe(200);
  });

  it.each([
    ['X-Forwarded-Proto', 'https'],
    ['X-Forwarded-Host', 'checklists.example.com'],
    ['X-Forwarded-Port', '443'],
    ['Forwarded', 'for=203.0.113.9;proto=https'],
    ['X-Real-IP', '203.0.113.9'],
  ])(
    'when a proxy on this host sends %s but no X-Forwarded-For, then the request is not loopback: 401',
    async (name, v) => {
      const res = await request(h.app).get('/metrics').set(name, v);

      expect(res.status).toBe(401);
    },
  );
});

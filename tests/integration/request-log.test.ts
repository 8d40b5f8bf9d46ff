// Rule 7 of the guide: logs never hold tokens or secrets. pino-http's default response serializer logged every
// response header, the session cookie's Set-Cookie among them, on each 4xx line.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser, sessionCookie, tryLogin } from '../support/admin.js';
import { memoryLogger } from '../support/fault-harness.js';
import { startHarness, type Harness } from '../support/harness.js';
import { deliver, messagesDelivery, textMessage } from '../support/meta-payloads.js';

const { logger, lines } = memoryLogger('debug');
let h: Harness;

beforeAll(async () => {
  h = await startHarness({}, { logger });
});
afterAll(async () => {
  await h?.close();
});

describe('request log lines', () => {
  it('when a signed-in supervisor is refused a page (403) and a sign-in sets the session cookie, then no log line holds the cookie or any response header', async () => {
    const supervisor = await createUser(h.database.db, { role: 'supervisor' });
    const { agent, res: signedIn } = await tryLogin(h.app, supervisor.email, supervisor.password);
    const cookie = sessionCookie(signedIn)!.split(';')[0]!.split('=')[1]!;

    const refused = await agent.get('/settings');

    expect(refused.status).toBe(403);
    const completed = lines.filter((l) => l.msg === 'request completed');
    expect(completed.map((l) => l.res)).toContainEqual({ statusCode: 403 });
    expect(completed.every((l) => Object.keys(l.res as object).join() === 'statusCode')).toBe(true);
    const all = JSON.stringify(lines);
    expect(all).not.toContain(cookie);
    expect(all.toLowerCase()).not.toContain('set-cookie');
  });

  it('when a delivery with one new message is recorded, then its one log line holds only the counts that are not zero (QA)', async () => {
    const message = textMessage('+15550001111', 'hello');

    const first = await deliver(h.app, messagesDelivery([message]));
    const again = await deliver(h.app, messagesDelivery([message]));

    expect([first.status, again.status]).toEqual([200, 200]);
    const recorded = lines
      .filter((l) => l.msg === '[WHATSAPP] Webhook delivery recorded')
      .map(({ messages, fresh, duplicates, statuses, identityChanges, skipped, types }) => ({
        messages,
        fresh,
        duplicates,
        statuses,
        identityChanges,
        skipped,
        types,
      }));
    expect(JSON.parse(JSON.stringify(recorded))).toEqual([
      { messages: 1, fresh: 1, types: ['text'] },
      { messages: 1, duplicates: 1, types: ['text'] },
    ]);
  });
});

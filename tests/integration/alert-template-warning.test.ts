// Issue 15 item 6: without WHATSAPP_ALERT_TEMPLATE, a refused NOT OK alert has nothing to go out as
// instead, and the server says so once at start. The database is unreachable on purpose: the line comes
// before the connection, and the process then exits without needing a PostgreSQL.
import { describe, expect, it } from 'vitest';
import { runScript } from '../support/run-script.js';
import { freePort } from '../support/server-process.js';

async function startLines(extra: Record<string, string>) {
  const result = runScript('src/server.ts', [], {
    NODE_ENV: 'test',
    LOG_LEVEL: 'info',
    PORT: String(await freePort()),
    DATABASE_URL: `postgres://kinto:kinto@127.0.0.1:${await freePort()}/kinto`,
    WHATSAPP_ACCESS_TOKEN: 'warn-test-token',
    WHATSAPP_PHONE_NUMBER_ID: '106540352242922',
    WHATSAPP_VERIFY_TOKEN: 'warn-test-verify',
    WHATSAPP_APP_SECRET: 'warn-test-secret',
    API_TOKEN: 'warn-test-api-token',
    WHATSAPP_START_TEMPLATE: 'checklist_start',
    ALERT_PHONE_NUMBERS: '+919833300001',
    ...extra,
  });
  const output = `${result.stdout}\n${result.stderr}`;
  const lines = output
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as { level: number; msg: string });
  return { output, lines };
}

describe('src/server.ts start-up and the NOT OK alert template', () => {
  it('when ALERT_PHONE_NUMBERS are set without WHATSAPP_ALERT_TEMPLATE, then the server logs one WARN line naming it', async () => {
    const { lines } = await startLines({});

    const warned = lines.filter((l) => l.level === 40 && l.msg.includes('WHATSAPP_ALERT_TEMPLATE'));
    expect(warned, JSON.stringify(lines)).toHaveLength(1);
    expect(warned[0]!.msg).toContain('131047');
  }, 60_000);

  it('when WHATSAPP_ALERT_TEMPLATE is set, then no such line', async () => {
    const { output } = await startLines({ WHATSAPP_ALERT_TEMPLATE: 'checklist_not_ok' });

    expect(output).toContain('Failed to start'); // it got past the start checks, to the database
    expect(output).not.toContain('WHATSAPP_ALERT_TEMPLATE');
  }, 60_000);
});

// Manager screens speak a manager's language: no SQL, no table or column names, no npm commands. The
// deployment guide and the logs, read by whoever runs the server, may keep them.
import { describe, expect, it } from 'vitest';
import { createMachine, createOperator, createTemplate } from '../support/factories.js';
import type { Harness } from '../support/harness.js';
import { switchWhatsApp } from '../support/lifecycle.js';
import { useSignedInHarness, type Agent, type FormPost } from '../support/admin.js';

let h: Harness;
let agent: Agent;
let post: FormPost;
useSignedInHarness((s) => ({ h, agent, post } = s));

const TECHNICAL = /system_config|whatsapp_enabled|status_reason|\bUPDATE\b|\bSELECT\b|npm run|photos:prune/;

/** The flash on the page a form's 303 leads to. */
const flashAfter = async (res: { status: number; headers: Record<string, string> }) => {
  expect(res.status).toBe(303);
  const page = await agent.get(res.headers.location!);
  return /<p class="flash flash--\w+"[^>]*>([^<]*)<\/p>/.exec(page.text)?.[1] ?? '';
};

describe('what a manager reads', () => {
  it('when a checklist is assigned while WhatsApp is off, then the flash and the pending reason say so without SQL', async () => {
    const [template, machine, operator] = await Promise.all([
      createTemplate(h, ['Check oil level']),
      createMachine(h),
      createOperator(h),
    ]);
    await switchWhatsApp(h, false);
    try {
      const res = await post('/assignments', {
        templateId: String(template.id),
        machineId: String(machine.id),
        operatorId: String(operator.id),
      });
      const flash = await flashAfter(res);
      const page = await agent.get(res.headers.location!);

      expect(flash).toContain('WhatsApp is switched off in Settings');
      expect(flash).not.toMatch(TECHNICAL);
      expect(page.text).not.toMatch(TECHNICAL);
    } finally {
      await switchWhatsApp(h, true);
    }
  });

  it.each(['/', '/settings'])('when %s is shown, then it names no table, column or command', async (path) => {
    const page = await agent.get(path);

    expect(page.status).toBe(200);
    expect(page.text).not.toMatch(TECHNICAL);
  });
});

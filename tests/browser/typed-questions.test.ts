import os from 'node:os';
import path from 'node:path';
import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ensureFirstAdmin } from '../../src/admin/auth/first-admin.js';
import { createLogger } from '../../src/lib/logger.js';
import { launchBrowser, type TestBrowser } from '../support/browser.js';
import { createMachine, createOperator } from '../support/factories.js';
import { startHarness, type Harness } from '../support/harness.js';
import { seedReadings } from '../support/readings.js';

// Issue 16 items 5 and 6 in a real browser: a machine's readings drawn as a chart with its limits, and the
// checklist editor's typed questions.

const ADMIN = { email: 'admin@kinto.test', password: 'typed-questions-password' };
const SHOTS = process.env.KINTO_SCREENSHOTS_DIR ?? os.tmpdir();

let h: Harness;
let server: Server;
let base: string;
let browser: TestBrowser;
let page: Page;

beforeAll(async () => {
  h = await startHarness();
  await ensureFirstAdmin(h.database.db, ADMIN, createLogger({ level: 'silent', pretty: false }));
  server = h.app.listen(0, '127.0.0.1');
  await once(server, 'listening');
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  browser = await launchBrowser();
  page = await browser.newPage({ width: 1280, height: 900 });
  page.setDefaultTimeout(10_000);
  await page.goto(`${base}/login`);
  await page.fill('#email', ADMIN.email);
  await page.fill('#password', ADMIN.password);
  await page.click('button[type="submit"]');
  await page.waitForURL(`${base}/`);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await new Promise((r) => server?.close(r));
  await h?.close();
});

afterEach(async (ctx) => {
  if (ctx.task.result?.state === 'fail') {
    const name = ctx.task.name.replace(/\W+/g, '-').slice(0, 60);
    await page
      ?.screenshot({ path: path.join(SHOTS, `kinto-failed-${name}.png`), fullPage: true })
      .catch(() => undefined);
  }
});

/** A template with one number task (bar, 5 to 8), made through the REST API. */
async function pressureTemplate() {
  const res = await h.api.post('/api/templates', {
    name: 'Hydraulics',
    tasks: [{ text: 'Hydraulic pressure', type: 'number', unit: 'bar', min: 5, max: 8 }],
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body as { id: number; tasks: { id: number; text: string }[] };
}

describe('the readings page of a machine', () => {
  it('when a machine has 3 readings of which one is out of range, then the chart draws 3 points, marks 1, the band runs from min to max, and the table has 3 rows (issue 16 acceptance 5)', async () => {
    const [machine, operator, template] = await Promise.all([
      createMachine(h, { name: 'Press 9', code: 'PR-09' }),
      createOperator(h, { name: 'Asha' }),
      pressureTemplate(),
    ]);
    const task = template.tasks[0]!;
    const limits = { min: 5, max: 8, unit: 'bar' };
    await seedReadings(
      h.database.db,
      { templateId: template.id, taskId: task.id, taskText: task.text, machineId: machine.id, operatorId: operator.id },
      [
        { daysAgo: 20, value: '6.5', ...limits },
        { daysAgo: 10, value: '9.2', ...limits },
        { daysAgo: 2, value: '5.5', ...limits },
      ],
    );

    await page.goto(`${base}/machines`);
    await page.click('a[aria-label="Readings of Press 9"]');
    await page.waitForURL(new RegExp(`/machines/${machine.id}/readings$`));

    const chart = page.locator(`#chart-${task.id}`);
    expect(await chart.getAttribute('role')).toBe('img');
    expect(await chart.locator('title').first().textContent()).toBe('Hydraulic pressure (bar)');
    const points = chart.locator('.chart-point');
    expect(await points.count()).toBe(3);
    expect(await chart.locator('.chart-point--out').count()).toBe(1);
    expect(await chart.locator('.chart-point--out').getAttribute('data-value')).toBe('9.2');
    // The band is drawn from the max line down to the min line, and the in-range points sit inside it.
    const band = chart.locator('rect.chart-band');
    expect([await band.getAttribute('data-min'), await band.getAttribute('data-max')]).toEqual(['5', '8']);
    const top = Number(await band.getAttribute('y'));
    const bottom = top + Number(await band.getAttribute('height'));
    expect(Number(await chart.locator('.chart-limit--max').getAttribute('y1'))).toBe(top);
    expect(Number(await chart.locator('.chart-limit--min').getAttribute('y1'))).toBe(bottom);
    const drawn = await points.evaluateAll((els) =>
      els.map((e) => ({ value: e.getAttribute('data-value'), cy: Number(e.getAttribute('data-cy')) })),
    );
    for (const p of drawn) expect(p.cy >= top && p.cy <= bottom, `${p.value} inside the band`).toBe(p.value !== '9.2');
    // The drawing is really on screen: the band has a height in pixels.
    expect((await band.boundingBox())!.height).toBeGreaterThan(10);

    const rows = page.locator(`#readings-${task.id} tbody tr`);
    expect(await rows.count()).toBe(3);
    expect(await rows.locator('td[data-label="Value"]').allTextContents()).toEqual(['5.5 bar', '9.2 bar', '6.5 bar']);
    expect(await rows.nth(1).locator('td[data-label="Limits"]').textContent()).toBe('5 to 8 bar');
    expect(await rows.nth(1).locator('td[data-label="Result"]').textContent()).toContain('above the limit of 8 bar');
    expect(await rows.nth(0).locator('td[data-label="Operator"]').textContent()).toBe('Asha');
  });

  it('when a machine has no readings, then the page says so in words and offers the longer period', async () => {
    const machine = await createMachine(h, { name: 'Lathe 2', code: 'LT-02' });
    await page.goto(`${base}/machines/${machine.id}/readings`);
    expect(await page.locator('#no-readings').textContent()).toContain('No readings for this machine in the last 30 days');
    await page.click('#no-readings a');
    await page.waitForURL(/readings\?days=90$/);
    expect(await page.locator('#no-readings').textContent()).toContain('last 90 days');
    expect(await page.locator('svg').count()).toBe(0);
  });
});

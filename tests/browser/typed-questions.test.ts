import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ensureFirstAdmin } from '../../src/admin/auth/first-admin.js';
import { createLogger } from '../../src/lib/logger.js';
import { screenshotIfFailed, SHOTS, signedInBrowser, type SignedInBrowser } from '../support/browser.js';
import { createMachine, createOperator } from '../support/factories.js';
import { startHarness, type Harness } from '../support/harness.js';
import { seedReadings } from '../support/readings.js';

// Issue 16 items 5 and 6 in a real browser: a machine's readings drawn as a chart with its limits, and the
// checklist editor's typed questions.

const ADMIN = { email: 'admin@kinto.test', password: 'typed-questions-password' };

let h: Harness;
let base: string;
let ui: SignedInBrowser;
let page: Page;

beforeAll(async () => {
  h = await startHarness();
  await ensureFirstAdmin(h.database.db, ADMIN, createLogger({ level: 'silent', pretty: false }));
  ui = await signedInBrowser(h.app, ADMIN, { width: 1280, height: 900 });
  ({ base, page } = ui);
}, 120_000);

afterAll(async () => {
  await ui?.close();
  await h?.close();
});

afterEach((ctx) => screenshotIfFailed(ctx, page));

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
    expect(Number(await chart.locator('.chart-limit--min').getAttribute('y1'))).toBeCloseTo(bottom, 5);
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
    if (process.env.KINTO_SCREENSHOTS_DIR)
      await page.screenshot({ path: path.join(SHOTS, 'kinto-readings.png'), fullPage: true });
  });

  it('when the manager opens the report of the out-of-range reading, then it shows the value marked and links back to the chart', async () => {
    await page.locator('tr.row--out a', { hasText: 'Report' }).click();
    await page.waitForURL(/\/submissions\/[0-9a-f-]{36}$/);
    const value = page.locator('#answers td[data-label="Value"]');
    expect(await value.textContent()).toContain('9.2 bar');
    expect(await value.locator('.out-of-range').textContent()).toBe('⚠ above the limit of 8 bar');
    if (process.env.KINTO_SCREENSHOTS_DIR) {
      await page.emulateMedia({ media: 'print' });
      await page.screenshot({ path: path.join(SHOTS, 'kinto-report-print.png'), fullPage: true });
      await page.emulateMedia({ media: 'screen' });
    }

    await value.locator('a', { hasText: 'Chart of this reading' }).click();
    await page.waitForURL(/\/readings\?days=30#task-\d+$/);
    expect(await page.locator('.chart-point--out').count()).toBe(1);
  });

  it('when a machine has no readings, then the page says so in words and offers the longer period', async () => {
    const machine = await createMachine(h, { name: 'Lathe 2', code: 'LT-02' });
    await page.goto(`${base}/machines/${machine.id}/readings`);
    expect(await page.locator('#no-readings').textContent()).toContain(
      'No readings for this machine in the last 30 days',
    );
    await page.click('#no-readings a');
    await page.waitForURL(/readings\?days=90$/);
    expect(await page.locator('#no-readings').textContent()).toContain('last 90 days');
    expect(await page.locator('svg').count()).toBe(0);
  });
});

describe('the checklist editor', () => {
  it('when a manager adds a number task with min above max, then the error is shown next to Min in words; fixed, the task is saved with its unit and limits', async () => {
    const created = await h.api.post('/api/templates', { name: 'Line 3 checks', tasks: [{ text: 'Check oil level' }] });
    expect(created.status).toBe(201);
    const id = (created.body as { id: number }).id;
    await page.goto(`${base}/templates/${id}/edit`);

    await page.fill('#new-task', 'Hydraulic pressure');
    await page.selectOption('#new-type', 'number');
    // Only the chosen type's settings are shown.
    expect(await page.isVisible('#new-unit')).toBe(true);
    expect(await page.isVisible('#new-option-0')).toBe(false);
    await page.fill('#new-unit', 'bar');
    await page.fill('#new-min', '8');
    await page.fill('#new-max', '5');
    await page.click('text=Add task');

    await expect.poll(() => page.locator('#new-min-error').textContent()).toContain('must not be above max (5)');
    expect(await page.getAttribute('#new-min', 'aria-invalid')).toBe('true');
    expect(await page.inputValue('#new-task')).toBe('Hydraulic pressure');
    expect(await page.inputValue('#new-unit')).toBe('bar');

    await page.fill('#new-min', '5');
    await page.fill('#new-max', '8');
    await page.click('text=Add task');
    await expect.poll(() => page.locator('.flash').textContent()).toContain('Task added');

    const card = page.locator('#task-list > li').nth(1);
    expect(await card.locator('select[name="type"]').inputValue()).toBe('number');
    expect(await card.locator('input[name="unit"]').inputValue()).toBe('bar');
    expect([
      await card.locator('input[name="min"]').inputValue(),
      await card.locator('input[name="max"]').inputValue(),
    ]).toEqual(['5', '8']);
  });

  it('when a manager adds a choice task with 4 options and one failing, then it is saved as a choice with those options', async () => {
    const created = await h.api.post('/api/templates', { name: 'Belt checks', tasks: [{ text: 'Check belt' }] });
    const id = (created.body as { id: number }).id;
    await page.goto(`${base}/templates/${id}/edit`);

    await page.fill('#new-task', 'Guard condition');
    await page.selectOption('#new-type', 'choice');
    expect(await page.isVisible('#new-unit')).toBe(false);
    for (const [i, label] of ['Clean', 'Dirty', 'Damaged', 'Missing'].entries())
      await page.fill(`#new-option-${i}`, label);
    await page.check('#new-option-2-fails');
    await page.click('text=Add task');
    await expect.poll(() => page.locator('.flash').textContent()).toContain('Task added');

    const res = await h.api.get(`/api/templates/${id}`);
    const task = (res.body as { tasks: { text: string; type: string; options: unknown }[] }).tasks[1]!;
    expect(task).toMatchObject({ text: 'Guard condition', type: 'choice' });
    expect(task.options).toEqual([
      { key: 'o1', label: 'Clean', fails: false },
      { key: 'o2', label: 'Dirty', fails: false },
      { key: 'o3', label: 'Damaged', fails: true },
      { key: 'o4', label: 'Missing', fails: false },
    ]);
  });
});

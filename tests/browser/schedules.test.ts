import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ensureFirstAdmin } from '../../src/admin/auth/first-admin.js';
import { createLogger } from '../../src/lib/logger.js';
import { screenshotIfFailed, SHOTS, signedInBrowser, type SignedInBrowser } from '../support/browser.js';
import { createMachine, createOperator, createTemplate } from '../support/factories.js';
import { startHarness, type Harness } from '../support/harness.js';
import { rows } from '../support/lifecycle.js';

// Issue 17 item 6 in a real browser: a manager makes a schedule through the form (two days, two times, in
// Asia/Kolkata), makes a mistake on the way, sees its next run in words on the list, pauses and resumes it.

const ADMIN = { email: 'admin@kinto.test', password: 'schedules-test-password' };
// The list adds the factory's time (DEFAULT_TIMEZONE is UTC here), with its day only when that differs.
const NEXT_RUN =
  /^(Today|Tomorrow|\w{3} \d{1,2} \w{3}) (06|14):00 \(Asia\/Kolkata\) · ((Today|Tomorrow|Yesterday|\w{3} \d{1,2} \w{3}) )?(00|08):30 in UTC$/;

let h: Harness;
let base: string;
let ui: SignedInBrowser;
let page: Page;
let scheduleId = 0;

const go = (p: string) => page.goto(`${base}${p}`);
const text = async (selector: string) => (await page.locator(selector).first().textContent())?.trim();
const row = () => page.locator(`#schedule-${scheduleId}`);

beforeAll(async () => {
  h = await startHarness();
  await ensureFirstAdmin(h.database.db, ADMIN, createLogger({ level: 'silent', pretty: false }));
  await Promise.all([
    createTemplate(h, ['Check oil level', 'Check guards']),
    createOperator(h, { name: 'Asha' }),
    createMachine(h, { name: 'Press A', code: 'PR-A' }),
  ]);
  ui = await signedInBrowser(h.app, ADMIN, { width: 1280, height: 800 });
  ({ base, page } = ui);
}, 120_000);

afterAll(async () => {
  await ui?.close();
  await h?.close();
});

afterEach((ctx) => screenshotIfFailed(ctx, page));

const dayBox = (label: string) => page.locator('.day', { hasText: label }).locator('input');

describe('the schedules pages in a browser (issue 17 item 6)', () => {
  it('when there is no schedule, then the menu leads to a list that says what a schedule is and offers New schedule', async () => {
    await go('/');
    await page.click('.mainnav a[href="/schedules"]');

    expect(await text('#no-schedules')).toContain('A schedule sends a checklist by itself');
    await page.click('#no-schedules a[href="/schedules/new"]');
    await page.waitForURL(`${base}/schedules/new`);
  });

  it('when the manager picks no day, then the form comes back with "Pick at least one day" and keeps the two times and the zone', async () => {
    await page.selectOption('#templateId', { label: (await page.locator('#templateId option').nth(1).textContent())! });
    await page.selectOption('#machineId', { label: 'Press A (PR-A)' });
    await page.selectOption('#operatorId', { label: 'Asha' });
    await page.click('button[data-days="1,2,3,4,5"]'); // the quick pick: Mon to Fri
    for (const d of ['Mon', 'Tue', 'Wed', 'Thu', 'Fri']) await dayBox(d).uncheck();
    await page.fill('#time-0', '06:00');
    await page.click('.js-add-time');
    await page.locator('#time-rows input[type="time"]').nth(1).fill('14:00');
    await page.selectOption('#timezone', 'Asia/Kolkata');
    await page.click('.schedule-form button[type="submit"]');

    expect(await text('#days-error')).toBe('Pick at least one day');
    await page.screenshot({ path: path.join(SHOTS, 'kinto-schedules-form-mistake-desk.png'), fullPage: true });
    expect(
      await page
        .locator('#time-rows input[type="time"]')
        .evaluateAll((els) => els.map((e) => (e as HTMLInputElement).value)),
    ).toEqual(['06:00', '14:00']);
    expect(await page.locator('#timezone').inputValue()).toBe('Asia/Kolkata');
    expect(await page.locator('#operatorId option:checked').textContent()).toBe('Asha');
  });

  it('when Mon and Wed are picked and it is saved, then the list shows it in words with its next run in Asia/Kolkata', async () => {
    await dayBox('Mon').check();
    await dayBox('Wed').check();
    await page.click('.schedule-form button[type="submit"]');
    await page.waitForURL(/\/schedules#schedule-\d+$/);
    scheduleId = Number(/schedule-(\d+)$/.exec(page.url())![1]);

    expect(await row().locator('.schedule-when').textContent()).toMatch(
      /^Mon and Wed at 06:00 and 14:00\s+\(Asia\/Kolkata\)$/,
    );
    expect(await row().locator('.schedule-window').textContent()).toBe('2 hours to finish');
    expect((await row().locator('.schedule-next').textContent())?.trim()).toMatch(NEXT_RUN);
    // The message says the next run as the list does, the factory's time included.
    expect(await text('.flash--ok')).toBe(
      `Schedule saved. Next run: ${(await row().locator('.schedule-next').textContent())?.trim()}.`,
    );
    expect(await rows(h, 'SELECT days_of_week, times, timezone FROM checklist_schedules')).toEqual([
      { days_of_week: [1, 3], times: ['06:00', '14:00'], timezone: 'Asia/Kolkata' },
    ]);
  });

  it('when it is paused from the list, then the list says Paused; when resumed, its next run shows again', async () => {
    await row().getByRole('button', { name: 'Pause' }).click();
    await page.waitForURL(/#schedule-\d+$/);
    expect((await row().locator('.schedule-next').textContent())?.trim()).toBe('Paused');

    await row().getByRole('button', { name: 'Resume' }).click();
    await page.waitForURL(/#schedule-\d+$/);
    await page.locator('.flash--ok', { hasText: 'Resumed' }).waitFor();
    expect((await row().locator('.schedule-next').textContent())?.trim()).toMatch(NEXT_RUN);
  });

  it('when shown on a desk screen (1280 x 800) and a phone (390 x 844), then nothing widens the page and the day boxes are big enough to tap', async () => {
    for (const size of [
      { width: 1280, height: 800, name: 'desk' },
      { width: 390, height: 844, name: 'phone' },
    ]) {
      await page.setViewportSize(size);
      for (const [name, p] of [
        ['list', '/schedules'],
        ['form', `/schedules/${scheduleId}/edit`],
      ] as const) {
        await go(p);
        const widths = await page.evaluate(() => ({
          page: document.documentElement.scrollWidth,
          screen: window.innerWidth,
        }));
        expect(widths.page, `${name} ${size.name}`).toBeLessThanOrEqual(widths.screen);
        if (name === 'form') {
          const box = await page.locator('.day').first().boundingBox();
          expect(box!.height, size.name).toBeGreaterThanOrEqual(44);
          expect(box!.width, size.name).toBeGreaterThanOrEqual(40);
        }
        await page.screenshot({ path: path.join(SHOTS, `kinto-schedules-${name}-${size.name}.png`), fullPage: true });
      }
    }
    await page.setViewportSize({ width: 1280, height: 800 });
  });

  it('when it is deleted, then the browser asks first, saying the checklists already sent stay', async () => {
    await go(`/schedules/${scheduleId}/edit`);
    const asked = new Promise<string>((resolve) =>
      page.once('dialog', (d) => {
        resolve(d.message());
        void d.accept();
      }),
    );
    await page.click('#delete-schedule');

    expect(await asked).toContain('The checklists it already sent stay');
    await page.waitForURL(`${base}/schedules`);
    expect(await text('#no-schedules')).toContain('No schedules yet');
  });
});

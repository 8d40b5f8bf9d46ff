import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ensureFirstAdmin } from '../../src/admin/auth/first-admin.js';
import { createLogger } from '../../src/lib/logger.js';
import { launchBrowser, SHOTS, type TestBrowser } from '../support/browser.js';
import { startHarness, type Harness } from '../support/harness.js';
import { makePng } from '../support/images.js';
import { deliver, messagesDelivery, newWamid, textMessage, waId } from '../support/meta-payloads.js';
import { settle, textOf } from '../support/settle.js';

// A manager's day in a real browser (Debian's Chromium), against the real app on a fresh database,
// with the operator's WhatsApp played through signed webhook deliveries and a fake Graph API.

const ADMIN = { email: 'admin@kinto.test', password: 'browser-test-password' };
const PHONE_TYPED = '+91 98123 45678';
const PHONE = '+919812345678';
const XSS = '<script>alert(1)</script>';
/** The longest name allowed, without a space to wrap at. */
const LONG_NAME = 'Venkatanarasimharajuvaripeta'.repeat(8).slice(0, 200);

let h: Harness;
let server: Server;
let base: string;
let browser: TestBrowser;
let page: Page;
let downloads: string;
const alerts: string[] = [];
let assignmentUrl = '';
let reportUrl = '';

beforeAll(async () => {
  h = await startHarness();
  await ensureFirstAdmin(h.database.db, ADMIN, createLogger({ level: 'silent', pretty: false }));
  server = h.app.listen(0, '127.0.0.1');
  await once(server, 'listening');
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  downloads = fs.mkdtempSync(path.join(os.tmpdir(), 'kinto-downloads-'));
  browser = await launchBrowser({ downloadsPath: downloads });
  page = await browser.newPage({ width: 1280, height: 900 });
  page.setDefaultTimeout(10_000);
  // Confirmations are accepted; any other dialog (an alert from injected script) is recorded as a failure.
  page.on('dialog', (d) => {
    if (d.type() === 'confirm') return void d.accept();
    alerts.push(`${d.type()}: ${d.message()}`);
    void d.dismiss();
  });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await new Promise((r) => server?.close(r));
  await h?.close();
  if (downloads) fs.rmSync(downloads, { recursive: true, force: true });
});

afterEach(async (ctx) => {
  if (ctx.task.result?.state === 'fail') {
    const name = ctx.task.name.replace(/\W+/g, '-').slice(0, 60);
    await page
      ?.screenshot({ path: path.join(SHOTS, `kinto-failed-${name}.png`), fullPage: true })
      .catch(() => undefined);
    console.log('FAILED AT', page?.url(), (await page?.content())?.slice(0, 3000));
  }
});

const go = (p: string) => page.goto(`${base}${p}`);
const metric = async (id: string) => (await page.locator(`#${id} .metric-value`).textContent())?.trim();

/**
 * How the page fits the screen: its width, any box inside it that scrolls sideways, and the photos' horizontal extents.
 */
const fit = () =>
  page.evaluate(() => {
    const sideways = [...document.querySelectorAll<HTMLElement>('body *')]
      .filter(
        (e) =>
          !e.matches('input, select, textarea') &&
          e.scrollWidth > e.clientWidth + 1 &&
          /auto|scroll/.test(getComputedStyle(e).overflowX),
      )
      .map((e) => `${e.tagName.toLowerCase()}.${e.className}`);
    const photos = [...document.querySelectorAll('main img')].map((img) => {
      const r = img.getBoundingClientRect();
      return { left: Math.floor(r.left), right: Math.ceil(r.right), width: Math.round(r.width) };
    });
    return { pageWidth: document.documentElement.scrollWidth, screenWidth: window.innerWidth, sideways, photos };
  });

async function operatorSays(message: object) {
  const res = await deliver(h.app, messagesDelivery([message]));
  expect(res.status).toBe(200);
  await settle(h);
}

describe('a manager in the browser', () => {
  it('when nobody is signed in, then the dashboard sends the browser to the sign-in page, and a wrong password is refused', async () => {
    await go('/');
    expect(new URL(page.url()).pathname).toBe('/login');

    await page.fill('#email', ADMIN.email);
    await page.fill('#password', 'not-the-password');
    await page.click('button[type="submit"]');

    await expect.poll(() => page.locator('#login-error').textContent()).toContain('do not match');
    expect(new URL(page.url()).pathname).toBe('/login');
    expect(await page.inputValue('#email')).toBe(ADMIN.email);
  });

  it('when the right password is given, then the dashboard shows zero everywhere', async () => {
    await page.fill('#password', ADMIN.password);
    await page.click('button[type="submit"]');

    await page.waitForURL(`${base}/`);
    expect(await metric('metric-active')).toBe('0');
    expect(await metric('metric-completed-today')).toBe('0');
    expect(await page.locator('#review-list').count()).toBe(0);
  });

  it('when a checklist is created with a photo task and reordered, then its tasks are in the new order', async () => {
    await go('/templates');
    await page.click('text=New checklist');
    await page.fill('#name', 'Daily press check');
    await page.fill('#task-0', 'Photograph the pressure gauge');
    await page.check('input[name="tasks[0][requiresPhoto]"]');
    await page.fill('#task-1', 'Check oil level');
    await page.click('button[value="create"]');
    await page.waitForURL(/\/templates\/\d+\/edit$/);

    await page.click('button[aria-label="Move task 2 up"]');
    await page.waitForLoadState();

    await expect
      .poll(() =>
        page
          .locator('#task-list input[name="text"]')
          .evaluateAll((els) => els.map((e) => (e as HTMLInputElement).value)),
      )
      .toEqual(['Check oil level', 'Photograph the pressure gauge']);
    expect(
      await page
        .locator('#task-list input[name="requiresPhoto"]')
        .evaluateAll((els) => els.map((e) => (e as HTMLInputElement).checked)),
    ).toEqual([false, true]);
  });

  it('when an operator is added with a spaced phone number, then it is stored in E.164; a machine is added too', async () => {
    await go('/operators');
    await page.fill('#name', 'Ravi');
    await page.fill('#phoneNumber', 'call me');
    await page.click('text=Add operator');
    expect(await page.locator('#phoneNumber-error').textContent()).toContain('This is not a phone number.');
    expect(await page.inputValue('#name')).toBe('Ravi');

    await page.fill('#phoneNumber', PHONE_TYPED);
    await page.click('text=Add operator');

    await expect.poll(() => page.locator('#operator-list').textContent()).toContain(PHONE);
    await go('/machines');
    await page.fill('#name', 'Press 7');
    await page.fill('#code', 'PR-07');
    await page.click('text=Add machine');
    await expect.poll(() => page.locator('#machine-list').textContent()).toContain('PR-07');
  });

  it('when the checklist is assigned, then Question 1 goes out and the progress page shows it being asked', async () => {
    await go('/assignments/new');
    await page.selectOption('#templateId', { label: 'Daily press check' });
    await page.selectOption('#machineId', { label: 'Press 7 (PR-07)' });
    await page.selectOption('#operatorId', { label: `Ravi (${PHONE})` });
    await page.click('text=Assign and start');

    await page.waitForURL(/\/assignments\/[0-9a-f-]{36}$/);
    assignmentUrl = new URL(page.url()).pathname;
    const q1 = await h.graph.waitForSent((m) => m.to === PHONE);
    expect(textOf(q1)).toMatch(/^📋 Question 1 of 2: Check oil level/);
    expect(await page.locator('.flash').textContent()).toContain('Question 1 is on its way');
    expect(await page.locator('#questions li[data-position="1"]').getAttribute('class')).toContain('q--asking');
    await go('/');
    expect(await metric('metric-active')).toBe('1');
  });

  it('when the operator answers, then the progress page updates by itself, with the photo thumbnail', async () => {
    await go(assignmentUrl);
    await page.evaluate(() => {
      (window as unknown as { notReloaded: boolean }).notReloaded = true;
    });

    await operatorSays(textMessage(PHONE, 'OK - oil level normal'));
    await expect
      .poll(() => page.locator('#questions li[data-position="1"] .remarks').textContent(), { timeout: 10_000 })
      .toBe('oil level normal');

    const mediaId = h.graph.addMedia(makePng(64, 48, [30, 120, 200]), 'image/png');
    await operatorSays({
      from: waId(PHONE),
      id: newWamid(),
      timestamp: String(Math.floor(Date.now() / 1000)),
      type: 'image',
      image: { id: mediaId, mime_type: 'image/png', sha256: 'x', caption: `NOT OK - ${XSS}` },
    });
    await page.locator('#questions li[data-position="2"] img.thumb').waitFor();
    await expect.poll(() => page.locator('#awaiting-confirm').count()).toBe(1);

    expect(await page.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded)).toBe(true);
    expect(await page.locator('#questions li[data-position="2"] .remarks').textContent()).toBe(XSS);
    expect(await page.locator('#answered-count').textContent()).toBe('2');
    expect(await page.locator('#questions img.thumb').evaluate((img) => (img as HTMLImageElement).naturalWidth)).toBe(
      64,
    );
  });

  it('when the thumbnail is opened, then the photo itself is served to the signed-in manager', async () => {
    const [photoPage] = await Promise.all([
      browser.context.waitForEvent('page'),
      page.click('#questions li[data-position="2"] a.thumb-link'),
    ]);
    await photoPage.waitForLoadState('load');

    expect(photoPage.url()).toMatch(/\/api\/whatsapp-photos\/[0-9a-f]+\.png$/);
    expect(await photoPage.evaluate(() => document.contentType)).toBe('image/png');
    expect(await photoPage.evaluate(() => document.images[0]?.naturalWidth)).toBe(64);
    await photoPage.close();
  });

  it('when the operator confirms, then the page shows the checklist completed and stops refreshing', async () => {
    await page.screenshot({ path: path.join(SHOTS, 'kinto-progress-desktop.png'), fullPage: true });
    await operatorSays(textMessage(PHONE, 'CONFIRM'));

    await expect.poll(() => page.locator('#live .badge').first().textContent(), { timeout: 10_000 }).toBe('Completed');
    expect(await page.locator('#live').getAttribute('data-active')).toBe('false');
    expect(await page.locator('text=Open the report').count()).toBe(1);
    expect(h.graph.textsTo(PHONE).at(-1)).toMatch(/^🎉/);
  });

  it('when the dashboard is opened again, then the numbers changed and the NOT OK submission waits for review', async () => {
    await go('/');

    expect(await metric('metric-active')).toBe('0');
    expect(await metric('metric-completed-today')).toBe('1');
    expect(await metric('metric-avg-minutes')).not.toBe('—');
    expect(await page.locator('#review-list tbody tr').count()).toBe(1);
    await page.setViewportSize({ width: 360, height: 800 });
    await page.screenshot({ path: path.join(SHOTS, 'kinto-dashboard-360.png'), fullPage: true });
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.screenshot({ path: path.join(SHOTS, 'kinto-dashboard-desktop.png'), fullPage: true });
  });

  it('when the report is opened, then the remark shows as text (no script runs) and it can be approved', async () => {
    await page.click('#review-list >> text=Review');
    await page.waitForURL(/\/submissions\/[0-9a-f-]{36}$/);
    reportUrl = new URL(page.url()).pathname;

    expect(await page.locator('#answers tbody tr').count()).toBe(2);
    expect(await page.locator('#answers .remarks-cell').nth(1).textContent()).toBe(XSS);
    expect(await page.locator('#answers img.thumb').count()).toBe(1);
    expect(alerts).toEqual([]);

    await page.click('#approve');
    await expect.poll(() => page.locator('#review-state').textContent()).toContain('Approved');
    await go('/');
    expect(await page.locator('#review-list').count()).toBe(0);
    expect(await metric('metric-review')).toBe('0');
  });

  it('when the answers are exported, then a CSV file with one row per answer downloads', async () => {
    await go('/assignments');
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#export-csv')]);
    const file = await download.path();
    const csv = fs.readFileSync(file, 'utf8');

    expect(download.suggestedFilename()).toMatch(/^kinto-submissions-\d{4}-\d{2}-\d{2}-to-\d{4}-\d{2}-\d{2}\.csv$/);
    const lines = csv
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    expect(lines[0]).toBe(
      'submission_id,completed_at,machine,operator,template,position,task,status,remarks,photo_url,answered_at,other_photo_urls,value,unit,min,max,out_of_range,operator_phone,review_state,action_status',
    );
    expect(lines).toHaveLength(3);
    expect(lines[1]).toContain('Check oil level,OK,oil level normal');
    expect(lines[2]).toContain(`NOT OK,${XSS},${base}/api/whatsapp-photos/`);
  });

  it('when a form is sent without its CSRF token, then it is refused with 403 and nothing is created', async () => {
    await go('/machines');
    await page.fill('#name', 'Forged');
    await page.fill('#code', 'FORGED-1');
    await page.evaluate(() => document.querySelector('form[action="/machines"] input[name="_csrf"]')?.remove());

    const [response] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith('/machines') && r.request().method() === 'POST'),
      page.click('text=Add machine'),
    ]);

    expect(response.status()).toBe(403);
    expect(await page.locator('.problem').textContent()).toContain('form has expired');
    const { rows } = await h.database.pool.query("SELECT 1 FROM machines WHERE code = 'FORGED-1'");
    expect(rows).toHaveLength(0);
  });

  it('the progress page is readable on a 360-pixel phone', async () => {
    await page.setViewportSize({ width: 360, height: 800 });
    await go(assignmentUrl);
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    await page.screenshot({ path: path.join(SHOTS, 'kinto-progress-360.png'), fullPage: true });

    expect(overflow).toBeLessThanOrEqual(0);
  });

  it('when the operator is renamed through Edit on the phone, then the form fits the screen and the list shows the new name', async () => {
    await go('/operators');
    await page.click('a[aria-label="Edit Ravi"]');
    await page.waitForURL(/\/operators\/\d+\/edit$/);
    expect(await page.inputValue('#phoneNumber')).toBe(PHONE);
    expect(
      await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth),
    ).toBeLessThanOrEqual(0);

    await page.fill('#name', 'Ravi Kumar');
    await page.click('text=Save operator');

    await expect.poll(() => page.locator('#operator-list').textContent()).toContain('Ravi Kumar');
  });

  it('when a 200-character name is listed, then the operators, assignments and report pages fit a 390-pixel phone, every photo in view', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await go('/operators');
    await page.fill('#name', LONG_NAME);
    await page.fill('#phoneNumber', '+91 98123 45690');
    await page.click('text=Add operator');
    await expect.poll(() => page.locator('#operator-list').textContent()).toContain(LONG_NAME);
    const { rows } = await h.database.pool.query<{ operator: number; machine: number; template: number }>(
      `SELECT (SELECT id FROM operators WHERE name = $1) AS operator, (SELECT id FROM machines WHERE code = 'PR-07') AS machine,
              (SELECT id FROM checklist_templates WHERE name = 'Daily press check') AS template`,
      [LONG_NAME],
    );
    expect(
      (
        await h.api.post('/api/assignments', {
          templateId: rows[0]!.template,
          machineId: rows[0]!.machine,
          operatorId: rows[0]!.operator,
        })
      ).status,
    ).toBe(201);

    const operators = await fit();
    await page.screenshot({ path: path.join(SHOTS, 'kinto-operators-390.png'), fullPage: true });
    await go('/assignments');
    const assignments = await fit();
    await go(reportUrl);
    const report = await fit();
    await page.screenshot({ path: path.join(SHOTS, 'kinto-report-390.png'), fullPage: true });

    for (const f of [operators, assignments, report]) {
      expect(f.pageWidth).toBeLessThanOrEqual(f.screenWidth);
      expect(f.sideways).toEqual([]);
    }
    expect(report.photos).toHaveLength(1);
    for (const photo of report.photos) {
      expect(photo.width).toBeGreaterThan(0);
      expect(photo.left).toBeGreaterThanOrEqual(0);
      expect(photo.right).toBeLessThanOrEqual(report.screenWidth);
    }
  });
});

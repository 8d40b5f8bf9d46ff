import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureFirstAdmin } from '../../src/admin/auth/first-admin.js';
import { createLogger } from '../../src/lib/logger.js';
import { SHOTS, signedInBrowser, type SignedInBrowser } from '../support/browser.js';
import { assignChecklist } from '../support/factories.js';
import { startHarness, type Harness } from '../support/harness.js';
import { makePng } from '../support/images.js';
import { say, settle } from '../support/settle.js';

// Issue 18 item 3 in a real browser (Debian's Chromium): the actions page's filters, an action's owner, due day,
// closing note and photo, the refusal of "won't fix" without a reason, and the submission page's actions.

const ADMIN = { email: 'admin@kinto.test', password: 'actions-test-password' };

let h: Harness;
let base: string;
let ui: SignedInBrowser;
let page: Page;
let adminId = 0;
/** The seeded actions by task: belts (machine 1), guard (machine 2), hoses (machine 3, overdue), filter (done). */
const seeded: Record<string, { id: number; submissionId: string; machineId: number }> = {};

async function notOk(task: string, remark: string) {
  const s = await assignChecklist(h, [task]);
  await settle(h);
  await say(h, s.operator.phoneNumber, `NOT OK - ${remark}`, 'CONFIRM');
  const { rows } = await h.database.pool.query<{ id: number }>(
    'SELECT id FROM corrective_actions WHERE submission_id = $1',
    [s.assignment.submissionId],
  );
  seeded[task] = { id: rows[0]!.id, submissionId: s.assignment.submissionId, machineId: s.machine.id };
}

/** Saves the action form and waits for the page it leads to: saved (its flash) or refused (a field's message). */
async function save() {
  await page.click('#save-action');
  await page.locator('.flash, .field-error').first().waitFor();
}

/** The task texts of the rows the list shows now. */
const listed = async () =>
  (await page.locator('#action-list tbody tr td[data-label="Task"] a').allTextContents()).map((t) => t.trim()).sort();

async function filter(show: string, machineId = '') {
  await page.goto(`${base}/actions`);
  await page.selectOption('#f-show', show);
  await page.selectOption('#f-machine', machineId);
  await Promise.all([page.waitForURL(/\/actions\?/), page.click('form.filters button[type="submit"]')]);
}

beforeAll(async () => {
  h = await startHarness();
  await ensureFirstAdmin(h.database.db, ADMIN, createLogger({ level: 'silent', pretty: false }));
  adminId = (await h.database.pool.query<{ id: number }>('SELECT id FROM users WHERE email = $1', [ADMIN.email]))
    .rows[0]!.id;

  await notOk('Check belts', 'belt frayed');
  await notOk('Check guard', 'guard loose');
  await notOk('Check hoses', 'hose cracked');
  await notOk('Clean the filter', 'filter clogged');
  await h.database.pool.query("UPDATE corrective_actions SET due_at = '2020-01-01' WHERE id = $1", [
    seeded['Check hoses']!.id,
  ]);
  await h.database.pool.query(
    "UPDATE corrective_actions SET status = 'done', note = 'cleaned', closed_at = now() WHERE id = $1",
    [seeded['Clean the filter']!.id],
  );

  ui = await signedInBrowser(h.app, ADMIN, { width: 1280, height: 900 });
  ({ base, page } = ui);
}, 180_000);

afterAll(async () => {
  await ui?.close();
  await h?.close();
});

describe('the actions page', () => {
  it('when a NOT OK submission was confirmed, then its action is listed with its machine and the remark', async () => {
    await page.goto(`${base}/actions`);

    const row = page.locator('#action-list tbody tr', { hasText: 'Check belts' });
    expect(await row.count()).toBe(1);
    expect(await row.locator('td[data-label="Found"]').textContent()).toContain('belt frayed');
    expect((await row.locator('td[data-label="Status"]').textContent())?.trim()).toBe('Open');
  });

  it('when the filters open, overdue and machine are chosen, then each narrows the list to its rows', async () => {
    await filter('open');
    expect(await listed()).toEqual(['Check belts', 'Check guard', 'Check hoses']);

    await filter('overdue');
    expect(await listed()).toEqual(['Check hoses']);
    expect(await page.locator('#action-list tbody tr .badge', { hasText: 'Overdue' }).count()).toBe(1);

    await filter('all', String(seeded['Check guard']!.machineId));
    expect(await listed()).toEqual(['Check guard']);

    await filter('closed');
    expect(await listed()).toEqual(['Clean the filter']);
  });

  it('when an owner and a due date are set on the action page, then it shows them and "mine" lists only that action', async () => {
    await page.goto(`${base}/actions/${seeded['Check belts']!.id}`);
    await page.selectOption('#a-owner', String(adminId));
    await page.fill('#a-due', '2030-01-31');
    await save();

    expect(await page.locator('.flash').textContent()).toContain('Action saved.');
    expect(await page.locator('#a-owner').inputValue()).toBe(String(adminId));
    expect(await page.locator('#a-due').inputValue()).toBe('2030-01-31');
    await filter('mine');
    expect(await listed()).toEqual(['Check belts']);
    // QA 2: a date in words, as the browser writes its dates ("Jan 31, 2030" in en-US), never the raw day.
    const due = page.locator('#action-list td[data-label="Due"] time');
    expect(await due.textContent()).toBe(
      new Intl.DateTimeFormat(await page.evaluate(() => navigator.language), {
        dateStyle: 'medium',
        timeZone: 'UTC',
      }).format(new Date('2030-01-31T00:00:00Z')),
    );
    expect(await page.locator('#action-list td[data-label="Due"]').textContent()).not.toContain('2030-01-31');
  });

  it('when it is marked done with a note and a photo, then the page shows Done, the note and the closing photo', async () => {
    await page.goto(`${base}/actions/${seeded['Check belts']!.id}`);
    await page.selectOption('#a-status', 'done');
    await page.fill('#a-note', 'Belt replaced and tensioned');
    await page.setInputFiles('#a-photo', { name: 'after.png', mimeType: 'image/png', buffer: makePng(64, 48) });
    await save();

    expect((await page.locator('#action-status').textContent())?.trim()).toBe('Done');
    expect(await page.locator('#a-note').inputValue()).toBe('Belt replaced and tensioned');
    const photo = page.locator('#closing-photo img');
    expect(await photo.count()).toBe(1);
    expect(await photo.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBe(64);
    await page.screenshot({ path: path.join(SHOTS, 'kinto-action-done.png'), fullPage: true });
  });

  it("when won't fix is chosen without a reason, then the page says in words that the reason is required and nothing is saved", async () => {
    await page.goto(`${base}/actions/${seeded['Check guard']!.id}`);
    await page.selectOption('#a-status', 'wont_fix');
    await page.fill('#a-note', '');
    await save();

    expect(await page.locator('#a-note-error').textContent()).toBe(
      "Say why this won't be fixed (a reason is needed for Won't fix).",
    );
    // QA 1: the Note box is as wide as the other fields.
    const width = (sel: string) => page.locator(sel).evaluate((el) => el.getBoundingClientRect().width);
    expect(await width('#a-note')).toBe(await width('#a-due'));
    await page.screenshot({ path: path.join(SHOTS, 'kinto-action-wont-fix-refused.png'), fullPage: true });
    expect(await page.locator('body').textContent()).not.toContain('wont_fix');
    await page.goto(`${base}/actions/${seeded['Check guard']!.id}`);
    expect((await page.locator('#action-status').textContent())?.trim()).toBe('Open');
  });

  it("when the submission page is opened, then its actions show each one's state, and the closing photo", async () => {
    await page.goto(`${base}/submissions/${seeded['Check belts']!.submissionId}`);

    const actions = page.locator('#submission-actions');
    expect(await actions.textContent()).toContain('Check belts');
    expect(await actions.textContent()).toContain('Done');
    expect(await actions.textContent()).toContain('Belt replaced and tensioned');
    expect(await actions.locator('img[alt="Closing photo for task 1"]').count()).toBe(1);
    await page.goto(`${base}/submissions/${seeded['Check hoses']!.submissionId}`);
    expect(await page.locator('#submission-actions').textContent()).toMatch(/Open · due .+ · overdue by \d+ days/);
  });

  it('when all actions are listed at 1280x800 and 390x844, then closed ones show when they closed and their note, and each row has Handle or View (QA 3, QA 4)', async () => {
    for (const [width, height] of [
      [1280, 800],
      [390, 844],
    ] as const) {
      await page.setViewportSize({ width, height });
      await filter('all');

      const closed = page.locator('#action-list tbody tr', { hasText: 'Clean the filter' });
      expect(await closed.locator('.action-closed').textContent()).toMatch(/^Closed .+ · cleaned$/);
      expect((await closed.locator('a.btn').textContent())?.trim()).toBe('View');
      const open = page.locator('#action-list tbody tr', { hasText: 'Check hoses' });
      expect((await open.locator('a.btn').textContent())?.trim()).toBe('Handle');
      await page.screenshot({ path: path.join(SHOTS, `kinto-actions-list-${width}.png`), fullPage: true });
      await page.goto(`${base}/actions/${seeded['Check hoses']!.id}`);
      const w = (sel: string) => page.locator(sel).evaluate((el) => el.getBoundingClientRect().width);
      expect(await w('#a-note')).toBe(await w('#a-owner'));
      await page.screenshot({ path: path.join(SHOTS, `kinto-action-page-${width}.png`), fullPage: true });
    }
    await page.setViewportSize({ width: 1280, height: 900 });
  });
});

import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureFirstAdmin } from '../../src/admin/auth/first-admin.js';
import { createLogger } from '../../src/lib/logger.js';
import { SHOTS, signedInBrowser, type SignedInBrowser } from '../support/browser.js';
import { createMachine, createOperator, createTemplate } from '../support/factories.js';
import { startHarness, type Harness } from '../support/harness.js';
import { switchWhatsApp } from '../support/lifecycle.js';

// Issue 17, acceptance line 6: the dashboard drawn from seeded history (completed on time, late, missed and NOT OK
// across three machines and several days), in a real browser, counted against the seed.

const ADMIN = { email: 'admin@kinto.test', password: 'dashboard-test-password' };
const DAY_MS = 86_400_000;

let h: Harness;
let base: string;
let ui: SignedInBrowser;
let page: Page;

type Outcome = 'on-time' | 'late' | 'missed' | 'open';
/** One second after midnight (UTC, the harness's DEFAULT_TIMEZONE) `daysAgo` days ago: inside that day. */
const dayStart = (daysAgo: number) => new Date(Math.floor(Date.now() / DAY_MS) * DAY_MS - daysAgo * DAY_MS + 1000);

async function seed(
  ids: { template: number; operator: number },
  machine: number,
  daysAgo: number,
  outcome: Outcome,
  notOk = false,
) {
  const at = dayStart(daysAgo);
  const r = await h.database.pool.query<{ id: string }>(
    `INSERT INTO checklist_assignments
       (template_id, machine_id, operator_id, status, created_at, due_at, completed_at, missed_at, completed_late, last_expired_at)
     VALUES ($1, $2, $3, $4, $5, $10, $6, $7, $8, $9) RETURNING id`,
    [
      ids.template,
      machine,
      ids.operator,
      outcome === 'missed' ? 'missed' : outcome === 'open' ? 'pending' : 'completed',
      at,
      outcome === 'on-time' || outcome === 'late' ? at : null,
      outcome === 'missed' ? at : null,
      outcome === 'late',
      // Waits for a manager's restart: the queue does not start it. No due time: with one in the past, the
      // schedules worker would (rightly) mark it missed while the test runs.
      outcome === 'open' ? at : null,
      outcome === 'open' ? null : at,
    ],
  );
  if (notOk) {
    await h.database.pool.query(
      `INSERT INTO checklist_submissions (assignment_id, template_id, machine_id, operator_id, status, completed_at, needs_review)
       VALUES ($1, $2, $3, $4, 'completed', $5, true)`,
      [r.rows[0]!.id, ids.template, machine, ids.operator, at],
    );
  }
}

const go = (p: string) => page.goto(`${base}${p}`);

beforeAll(async () => {
  h = await startHarness();
  await ensureFirstAdmin(h.database.db, ADMIN, createLogger({ level: 'silent', pretty: false }));
  const [template, operator, press, lathe, mill] = await Promise.all([
    createTemplate(h),
    createOperator(h),
    createMachine(h, { name: 'Press A', code: 'PR-A' }),
    createMachine(h, { name: 'Lathe B', code: 'LA-B' }),
    createMachine(h, { name: 'Mill C', code: 'MI-C' }),
  ]);
  const ids = { template: template.id, operator: operator.id };
  await seed(ids, press.id, 0, 'on-time');
  await seed(ids, press.id, 1, 'late');
  await seed(ids, press.id, 2, 'missed');
  await seed(ids, press.id, 3, 'on-time', true);
  await seed(ids, lathe.id, 0, 'missed');
  await seed(ids, lathe.id, 0, 'on-time');
  await seed(ids, lathe.id, 5, 'on-time');
  await seed(ids, lathe.id, 20, 'missed'); // in the 30-day chart, before the 14-day grid
  await seed(ids, mill.id, 1, 'on-time');
  await seed(ids, mill.id, 1, 'late', true);
  await seed(ids, mill.id, 0, 'open');

  ui = await signedInBrowser(h.app, ADMIN, { width: 1280, height: 900 });
  ({ base, page } = ui);
}, 120_000);

afterAll(async () => {
  await ui?.close();
  await h?.close();
});

const text = async (selector: string) => (await page.locator(selector).textContent())?.trim();
const count = (selector: string) => page.locator(selector).count();

describe('the dashboard with seeded history (issue 17, acceptance line 6)', () => {
  it('when it opens, then today and the last 7 days count on time, late and missed as seeded', async () => {
    await go('/');

    expect([await text('#today-on-time'), await text('#today-late'), await text('#today-missed')]).toEqual([
      '2',
      '0',
      '1',
    ]);
    expect([await text('#week-on-time'), await text('#week-late'), await text('#week-missed')]).toEqual([
      '5',
      '2',
      '2',
    ]);
    expect(await text('#tally-today .tally-note')).toBe('1 not finished yet · 0 completed with NOT OK');
  });

  it('when it opens, then the 30-day chart draws one bar segment per seeded day and result, each with its words', async () => {
    // Today: on time + missed; 1 day ago: on time + late; 2: missed; 3: on time; 5: on time; 20: missed.
    expect(await count('#trend-chart rect.bar')).toBe(8);
    expect(await count('#trend-chart rect.bar--on-time')).toBe(4);
    expect(await count('#trend-chart rect.bar--late')).toBe(1);
    expect(await count('#trend-chart rect.bar--missed')).toBe(3);
    const heights = await page
      .locator('#trend-chart rect.bar')
      .evaluateAll((els) => els.map((e) => (e as SVGGraphicsElement).getBBox().height));
    expect(heights.every((hgt) => hgt > 0)).toBe(true);
    expect(await page.locator('#trend-chart rect.bar--missed').last().locator('title').textContent()).toMatch(
      /: 2 on time, 1 missed$/,
    );
    expect(await text('#trend-summary')).toBe('70% completed: 5 on time, 2 late, 3 missed.');
  });

  it('when it opens, then the grid has a row per machine and its coloured cells match the seed, with words per cell', async () => {
    expect(await page.locator('#machine-grid tbody th').allTextContents()).toEqual(['Lathe B', 'Mill C', 'Press A']);
    expect(await count('#machine-grid td.cell')).toBe(3 * 14);
    const states = async (s: string) => count(`#machine-grid td[data-result="${s}"]`);
    expect([await states('not-ok'), await states('missed'), await states('late'), await states('on-time')]).toEqual([
      2, 2, 1, 2,
    ]);
    expect(await states('open')).toBe(1);
    expect(await states('none')).toBe(42 - 8);
    // Painted, not only classed: a missed cell's background differs from an empty one's.
    const bg = (s: string) =>
      page
        .locator(`#machine-grid td[data-result="${s}"]`)
        .first()
        .evaluate((e) => getComputedStyle(e).backgroundColor);
    expect(await bg('missed')).not.toBe(await bg('none'));
    // The same words for a hover (title) and a screen reader (the cell's text).
    const lathe = page.locator('#machine-grid tbody tr', { hasText: 'Lathe B' }).locator('td').last();
    expect(await lathe.getAttribute('title')).toMatch(/^Lathe B, \w{3} \d+ \w{3}: 1 on time, 1 missed$/);
    expect(await lathe.locator('.visually-hidden').textContent()).toBe(await lathe.getAttribute('title'));
    expect(await page.locator('#grid-heading ~ .legend li').allTextContents()).toContain('!NOT OK found');
  });

  it('when WhatsApp is on, then the dashboard does not say it is off', async () => {
    expect(await count('#whatsapp-off')).toBe(0);
    expect(await page.content()).not.toContain('WhatsApp is switched off');
    expect(await count('#simulator-in-use')).toBe(0); // the harness has a WhatsApp account
  });

  it('when WhatsApp is switched off, then the top of the dashboard says so in words and links to where to switch it on', async () => {
    await switchWhatsApp(h, false);
    try {
      await go('/');
      const banner = page.locator('#whatsapp-off');
      expect(await banner.textContent()).toContain('WhatsApp is switched off.');
      expect(await banner.textContent()).toContain('wait until it is switched on again');
      expect(await banner.locator('a').getAttribute('href')).toBe('/settings');
      // At the top: before the first figure.
      const [bannerTop, tallyTop] = await Promise.all([
        banner.evaluate((e) => e.getBoundingClientRect().top),
        page.locator('#tally-today').evaluate((e) => e.getBoundingClientRect().top),
      ]);
      expect(bannerTop).toBeLessThan(tallyTop);
    } finally {
      await switchWhatsApp(h, true);
    }
  });

  it('when it is shown on a phone (390 x 844) and a desk screen, then nothing widens the page', async () => {
    for (const size of [
      { width: 390, height: 844, name: 'phone' },
      { width: 1366, height: 900, name: 'desk' },
    ]) {
      await page.setViewportSize(size);
      await go('/');
      const widths = await page.evaluate(() => ({
        page: document.documentElement.scrollWidth,
        screen: window.innerWidth,
      }));
      // The grid fits its box too: no day is hidden behind a sideways scroll.
      const grid = await page.locator('.grid-wrap').evaluate((e) => ({ scroll: e.scrollWidth, box: e.clientWidth }));
      expect(grid.scroll, size.name).toBeLessThanOrEqual(grid.box);
      expect(widths.page, size.name).toBeLessThanOrEqual(widths.screen);
      // The 30-day chart's last day label is drawn whole, not cut at the chart's right edge.
      const [label, box] = await Promise.all([
        page
          .locator('#trend-chart .chart-tick--x')
          .last()
          .evaluate((e) => {
            const b = (e as SVGGraphicsElement).getBBox();
            return { left: b.x, right: b.x + b.width };
          }),
        page.locator('#trend-chart').evaluate((e) => (e as SVGSVGElement).viewBox.baseVal.width),
      ]);
      expect(label.right, size.name).toBeLessThanOrEqual(box);
      expect(label.left, size.name).toBeGreaterThanOrEqual(0);
      await page.screenshot({ path: path.join(SHOTS, `kinto-dashboard-17-${size.name}.png`), fullPage: true });
    }
  });
});

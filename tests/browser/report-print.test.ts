import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureFirstAdmin } from '../../src/admin/auth/first-admin.js';
import { createLogger } from '../../src/lib/logger.js';
import { SHOTS, signedInBrowser, type SignedInBrowser } from '../support/browser.js';
import { assignChecklist } from '../support/factories.js';
import { startHarness, type Harness } from '../support/harness.js';
import { makePng } from '../support/images.js';
import { pdfLinkUris, pdfPageCount } from '../support/pdf.js';
import { say, settle } from '../support/settle.js';

// Issue 18 item 6: the report as the browser prints it (Debian's Chromium): the company name on top, the signature
// line, whole photos, page numbers from CSS @page; the PDF is what the browser's Print would save.

const ADMIN = { email: 'admin@kinto.test', password: 'report-print-password' };
const COMPANY = 'Acme Forge Pvt Ltd';

let h: Harness;
let base: string;
let ui: SignedInBrowser;
let page: Page;
let reportPath = '';
let submissionId = '';
let operatorPhone = '';

beforeAll(async () => {
  h = await startHarness({ COMPANY_NAME: COMPANY });
  await ensureFirstAdmin(h.database.db, ADMIN, createLogger({ level: 'silent', pretty: false }));

  const tasks = Array.from({ length: 14 }, (_, i) => `Check point ${i + 1} of the press line`);
  const s = await assignChecklist(h, tasks);
  await settle(h);
  await say(h, s.operator.phoneNumber, 'NOT OK - oil on the floor', ...tasks.slice(1).map(() => 'OK'), 'CONFIRM');
  // A wide photo (4:1): printed whole, its width stays four times its height instead of a cropped square.
  fs.writeFileSync(path.join(h.photosDir, 'wide-gauge.png'), makePng(400, 100));
  await h.database.pool.query(
    "UPDATE checklist_submission_answers SET photo_filename = 'wide-gauge.png' WHERE submission_id = $1 AND position = 1",
    [s.assignment.submissionId],
  );
  reportPath = `/submissions/${s.assignment.submissionId}`;
  submissionId = s.assignment.submissionId;
  operatorPhone = s.operator.phoneNumber;

  ui = await signedInBrowser(h.app, ADMIN, { width: 1280, height: 900 });
  ({ base, page } = ui);
}, 120_000);

afterAll(async () => {
  await ui?.close();
  await h?.close();
});

describe('the printed report', () => {
  it('when the report is printed, then it shows the company name, the action, a signature line and whole photos, without the buttons', async () => {
    await page.goto(`${base}${reportPath}`);
    expect(await page.locator('#signature').isVisible()).toBe(false);

    await page.emulateMedia({ media: 'print' });
    await page.screenshot({ path: path.join(SHOTS, 'kinto-report-print.png'), fullPage: true });

    expect((await page.locator('#report-company').textContent())?.trim()).toBe(`${COMPANY} · Checklist report`);
    expect(await page.locator('#report-company').isVisible()).toBe(true);
    expect(await page.locator('#submission-actions').textContent()).toContain('Task 1:');
    expect(await page.locator('#submission-actions').textContent()).toContain('Open');
    expect(await page.locator('#signature').isVisible()).toBe(true);
    expect(await page.locator('#signature').textContent()).toContain('Signature');
    expect(await page.locator('#mark-reviewed').isVisible()).toBe(false);
    expect(await page.locator('.topbar').isVisible()).toBe(false);
    const photo = await page.locator('#answers img.thumb').boundingBox();
    expect(photo).not.toBeNull();
    expect(Math.round(photo!.width / photo!.height)).toBe(4);
    expect(photo!.width).toBeGreaterThan(150);
    // Task numbers stay on one line: the number cell is one line high however narrow the column.
    const num = await page
      .locator('#answers td.num-cell')
      .nth(9)
      .evaluate((td) => getComputedStyle(td).whiteSpace);
    expect(num).toBe('nowrap');
    // The answer's date and time on one line, and the Actions heading kept with its first item (issue 18 QA).
    const answered = await page
      .locator('#answers td[data-label="Answered"]')
      .first()
      .evaluate((td) => getComputedStyle(td).whiteSpace);
    expect(answered).toBe('nowrap');
    expect(await page.locator('#submission-actions h2').evaluate((h2) => getComputedStyle(h2).breakAfter)).toBe(
      'avoid',
    );
    // Back to no emulation: page.pdf() prints with print media unless screen was emulated.
    await page.emulateMedia({ media: null });
  });

  it('when the report is saved as PDF, then it has pages and the print stylesheet numbers them in the bottom margin', async () => {
    await page.goto(`${base}${reportPath}`);
    await page.emulateMedia({ media: 'print' });

    const pdf = await page.pdf({ format: 'A4', preferCSSPageSize: true, printBackground: true });
    fs.writeFileSync(path.join(SHOTS, 'kinto-report.pdf'), pdf);

    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(pdfPageCount(pdf)).toBeGreaterThan(0);
    // The page numbers live in an @page margin box, which no DOM query can see: read the rule as Chromium parsed it.
    const pageRules = await page.evaluate(() =>
      [...document.styleSheets]
        .flatMap((s) => [...s.cssRules])
        .filter((r) => r instanceof CSSPageRule)
        .map((r) => r.cssText),
    );
    expect(pageRules.join('\n')).toMatch(/@bottom-right\s*\{[^}]*counter\(page\)[^}]*counter\(pages\)/);
  });

  it('when a reworked report is printed, then the earlier answers come before the signature with the first photo whole, words break only between letters when they must, and the message count stays off paper (issue 18 rework QA items 5, 8)', async () => {
    const sent = await h.api.post(`/api/submissions/${submissionId}/review`, {
      decision: 'rework',
      tasks: [1],
      comment: 'Wipe the floor and look again',
    });
    expect(sent.status, JSON.stringify(sent.body)).toBe(200);
    await say(h, operatorPhone, 'OK - floor wiped', 'CONFIRM');
    await page.emulateMedia({ media: 'screen' });
    await page.goto(`${base}${reportPath}`);
    const top = (selector: string) => page.locator(selector).evaluate((e) => e.getBoundingClientRect().top);
    // On screen: what was answered first comes before the decision it informs.
    expect(await top('#answer-history')).toBeLessThan(await top('#review-forms'));

    await page.emulateMedia({ media: 'print' });
    await page.screenshot({ path: path.join(SHOTS, 'kinto-report-print-rework.png'), fullPage: true });

    expect(await top('#answer-history')).toBeLessThan(await top('#signature'));
    const first = await page.locator('#answer-history td.history-first img.thumb').boundingBox();
    expect(first).not.toBeNull();
    expect(Math.round(first!.width / first!.height)).toBe(4);
    expect(first!.width).toBeGreaterThan(150);
    expect(await page.locator('#submission-messages').isVisible()).toBe(false);
    const wrap = await page
      .locator('#answers td')
      .nth(1)
      .evaluate((td) => getComputedStyle(td).overflowWrap);
    expect(wrap).toBe('break-word');
    await page.emulateMedia({ media: null });
  });

  it('when the lines before the signature end at the foot of a printed page, then the signature block does not start the next page alone: the last line goes over with it', async () => {
    await page.goto(`${base}${reportPath}`);
    await page.emulateMedia({ media: 'print' });
    // A PDF's text cannot be read back, its links can: the last line before the signature block and the block's first
    // label become links (printed as plain text, same layout). The History section, last before the block, starts a
    // new page under a spacer, so the test chooses where the report's foot falls on that page.
    await page.evaluate(() => {
      const mark = (el: Element, name: string) => {
        const a = document.createElement('a');
        a.href = `http://marker.test/${name}`;
        a.append(...el.childNodes);
        el.append(a);
      };
      const signature = document.querySelector('#signature')!;
      const before = signature.previousElementSibling!;
      mark(before.querySelector('li:last-child') ?? before.lastElementChild!, 'last-line');
      mark(signature.querySelector('.signature-label')!, 'signature');
      const spacer = document.createElement('div');
      spacer.id = 'test-spacer';
      spacer.style.breakBefore = 'page';
      before.before(spacer);
    });
    const print = async (spacerPx: number, pageRanges = '') => {
      await page.locator('#test-spacer').evaluate((el, px) => (el.style.height = `${px}px`), spacerPx);
      return page.pdf({ format: 'A4', preferCSSPageSize: true, pageRanges });
    };
    // The smallest spacer that adds a page (to the pixel): one pixel less and all fits, so only the foot of the report
    // is pushed over, the block alone unless something keeps the line before it along.
    const pages = pdfPageCount(await print(0));
    let fits = 0;
    let overflows = 2000;
    expect(pdfPageCount(await print(overflows))).toBeGreaterThan(pages);
    while (overflows - fits > 1) {
      const mid = Math.floor((fits + overflows) / 2);
      if (pdfPageCount(await print(mid)) > pages) overflows = mid;
      else fits = mid;
    }

    const lastPage = await print(overflows, String(pages + 1));

    expect(new Set(pdfLinkUris(lastPage))).toEqual(
      new Set(['http://marker.test/last-line', 'http://marker.test/signature']),
    );
    await page.emulateMedia({ media: null });
  });
});

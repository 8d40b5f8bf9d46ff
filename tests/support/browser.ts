import type { Express } from 'express';
import { once } from 'node:events';
import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';

const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

export interface TestBrowser {
  context: BrowserContext;
  newPage(viewport?: { width: number; height: number }): Promise<Page>;
  close(): Promise<void>;
}

/**
 * Debian's Chromium driven by playwright-core, with a fresh profile in a temp folder (removed on close).
 * Fails loudly when Chromium is missing: browser tests must never be skipped silently.
 */
export async function launchBrowser(opts: { downloadsPath?: string } = {}): Promise<TestBrowser> {
  if (!fs.existsSync(CHROMIUM)) {
    throw new Error(
      `${CHROMIUM} not found: the browser tests need Debian's Chromium. Install it with: apt-get update && apt-get install -y chromium`,
    );
  }
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'kinto-chromium-'));
  let context: BrowserContext;
  try {
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: ARGS,
      viewport: { width: 1280, height: 900 },
      acceptDownloads: true,
      ...(opts.downloadsPath ? { downloadsPath: opts.downloadsPath } : {}),
      timeout: 60_000,
    });
  } catch (err) {
    fs.rmSync(profile, { recursive: true, force: true });
    throw err;
  }
  return {
    context,
    async newPage(viewport) {
      const page = await context.newPage();
      if (viewport) await page.setViewportSize(viewport);
      return page;
    },
    async close() {
      await context.close().catch(() => undefined);
      fs.rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Where tests write screenshots: KINTO_SCREENSHOTS_DIR to keep and look at them, else the temp folder. */
export const SHOTS = process.env.KINTO_SCREENSHOTS_DIR ?? os.tmpdir();

/** Signs in through the login form, as a manager does, and waits for the dashboard. */
export async function signInThroughForm(page: Page, base: string, user: { email: string; password: string }) {
  await page.goto(`${base}/login`);
  await page.fill('#email', user.email);
  await page.fill('#password', user.password);
  await page.click('button[type="submit"]');
  await page.waitForURL(`${base}/`);
}

/** For afterEach: a failed test leaves a full-page screenshot named after it in SHOTS. */
export async function screenshotIfFailed(
  ctx: { task: { name: string; result?: { state: string } } },
  page: Page | undefined,
): Promise<void> {
  if (ctx.task.result?.state !== 'fail') return;
  const name = ctx.task.name.replace(/\W+/g, '-').slice(0, 60);
  await page?.screenshot({ path: path.join(SHOTS, `kinto-failed-${name}.png`), fullPage: true }).catch(() => undefined);
}

export interface SignedInBrowser {
  base: string;
  page: Page;
  close(): Promise<void>;
}

/** The app served on a free port of 127.0.0.1, Chromium, and a page signed in as `user` through the form. */
export async function signedInBrowser(
  app: Express,
  user: { email: string; password: string },
  viewport = { width: 1280, height: 900 },
): Promise<SignedInBrowser> {
  const server = app.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const closeServer = () => new Promise((r) => server.close(r));
  let browser: TestBrowser | undefined;
  try {
    browser = await launchBrowser();
    const page = await browser.newPage(viewport);
    page.setDefaultTimeout(10_000);
    await signInThroughForm(page, base, user);
    const opened = browser;
    return {
      base,
      page,
      async close() {
        await opened.close();
        await closeServer();
      },
    };
  } catch (err) {
    await browser?.close();
    await closeServer();
    throw err;
  }
}

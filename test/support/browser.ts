import { existsSync, mkdirSync } from 'node:fs';
import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect } from 'vitest';
import { projectRoot } from '../../src/lib/paths.js';
import { createTestEnvironment, type TestEnvironment } from './environment.js';

export const chromiumPath = '/usr/bin/chromium';
export const browserTimeout = 30_000;
export const screenshotsDirectory = path.join(projectRoot, 'test-results');
const hasChromium = existsSync(chromiumPath);
const isContinuousIntegration = process.env.CI === 'true';

/** What a browser suite uses: the real app on its own SQLite database, listening on loopback, and Chromium. */
export type BrowserHarness = {
  env: TestEnvironment;
  baseUrl: string;
  /** A fresh browser profile (its own cookies, so its own session) whose language the app sees in Accept-Language. */
  openPage(browserLocale: string): Promise<Page>;
  screenshot(page: Page, name: string): Promise<unknown>;
};

/**
 * A suite of browser journeys. Skipped, loudly, only on a developer's machine without Chromium;
 * with CI=true it always runs, and a missing Chromium fails it. Every test fails on a Content
 * Security Policy violation in the browser console.
 */
export function describeInBrowser(title: string, suite: (harness: BrowserHarness) => void): void {
  if (!hasChromium && !isContinuousIntegration) {
    console.warn(`\n[eBOK tests] SKIPPING "${title}": ${chromiumPath} is missing. Install it (apt-get install chromium) to run it; in CI (CI=true) it is mandatory.\n`);
  }
  // Skipped only without chromium outside CI, as the warning above says.
  describe.skipIf(!hasChromium && !isContinuousIntegration)(title, () => {
    let server: Server;
    let browser: Browser;
    const contexts: BrowserContext[] = [];
    const policyViolations: string[] = [];
    const harness = {
      async openPage(browserLocale: string) {
        const context = await browser.newContext({ locale: browserLocale, baseURL: harness.baseUrl, viewport: { width: 1024, height: 768 } });
        contexts.push(context);
        const page = await context.newPage();
        page.setDefaultTimeout(browserTimeout);
        page.on('console', (message) => {
          if (message.type() === 'error' && message.text().includes('Content Security Policy')) policyViolations.push(message.text());
        });
        return page;
      },
      screenshot: (page: Page, name: string) => page.screenshot({ path: path.join(screenshotsDirectory, name), fullPage: true }),
    } as BrowserHarness;

    beforeAll(async () => {
      if (!hasChromium) throw new Error(`${chromiumPath} is missing: the browser journeys are mandatory when CI=true`);
      mkdirSync(screenshotsDirectory, { recursive: true });
      harness.env = await createTestEnvironment('sqlite');
      server = harness.env.app.listen(0, '127.0.0.1');
      await once(server, 'listening');
      harness.baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      browser = await chromium.launch({
        executablePath: chromiumPath,
        headless: true,
        timeout: browserTimeout,
        args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
      });
    });

    afterEach(async () => {
      await Promise.all(contexts.splice(0).map((context) => context.close()));
      expect(policyViolations.splice(0), 'Content Security Policy violations in the browser console').toEqual([]);
    });

    afterAll(async () => {
      await browser?.close();
      if (server) {
        server.closeAllConnections();
        await new Promise((resolve) => server.close(resolve));
      }
      await harness.env?.close();
    });

    suite(harness);
  });
}

/** The password the browser journeys give the demo's logins (seedDemo). */
export const demoPassword = 'demo password 2026';

/** The main menu of a signed-in page, in Polish. */
export const mainMenu = (page: Page) => page.getByRole('navigation', { name: 'Menu główne', exact: true });

/** Signs in to the demo tenant on its Polish sign-in page. */
export async function signInToDemo(page: Page, login: string, password = demoPassword): Promise<void> {
  await page.goto('/demo/login');
  await page.getByLabel('Login', { exact: true }).fill(login);
  await page.getByLabel('Hasło', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Zaloguj się', exact: true }).click();
}

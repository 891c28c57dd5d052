import { expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { describeInBrowser } from '../support/browser.js';
import { testPassword } from '../support/factories.js';
import { agingEdgesFixture, reportFixture, reportPeriod } from '../support/receivables.js';

const timeout = 90_000;

describeInBrowser('browser: the staff money reports at 1280 and 390 px (issue 16, M5, M9)', (harness) => {
  async function signIn(page: Page, slug: string, login: string) {
    await page.goto(`/${slug}/login`);
    await page.getByLabel('Login', { exact: true }).fill(login);
    await page.getByLabel('Hasło', { exact: true }).fill(testPassword);
    await page.getByRole('button', { name: 'Zaloguj się', exact: true }).click();
    await page.waitForURL(/\/staff$/);
  }

  it('keeps each report page within the window, its table and chart scrolling or stacking inside it', async () => {
    const { tenant, alfa } = await reportFixture(harness.env.db);
    await agingEdgesFixture(harness.env.db, tenant, 'Przedsiębiorstwo Wodociągów i Kanalizacji Złotów sp. z o.o.');
    const page = await harness.openPage('pl-PL');
    await signIn(page, tenant.slug, tenant.superadmin.login);
    await page.getByRole('link', { name: 'Należności i wpłaty', exact: true }).click();
    await page.waitForURL(/\/staff\/reports\/balances$/);
    const period = `from=${reportPeriod.from}&to=${reportPeriod.to}`;
    for (const [name, path] of [['balances', `/${tenant.slug}/staff/reports/balances?${period}`], ['aging', `/${tenant.slug}/staff/reports/aging?day=2026-12-01`], ['customer', `/${tenant.slug}/staff/customers/${alfa.id}/report?${period}`]] as const) {
      for (const width of [1280, 390]) {
        await page.setViewportSize({ width, height: 900 });
        await page.goto(path);
        const wide = await page.evaluate((limit) => [...document.querySelectorAll('body *')].filter((element) => element.getBoundingClientRect().right > limit + 1).slice(0, 5).map((element) => `${element.tagName}.${element.className} ${Math.round(element.getBoundingClientRect().right)}`), width);
        expect(await page.evaluate(() => document.documentElement.scrollWidth), `${name} at ${width} px: ${wide.join(', ')}`).toBeLessThanOrEqual(width);
        await harness.screenshot(page, `issue16-report-${name}-${width}.png`);
      }
    }
  }, timeout);
});

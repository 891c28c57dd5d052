import { expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { customerDataOf, requestCustomerChange } from '../../src/models/change-request.js';
import { describeInBrowser } from '../support/browser.js';
import { makeCustomer, makeTenant, makeUser, testPassword, userScope } from '../support/factories.js';
import { makeTicket } from '../support/tickets.js';

const timeout = 120_000;

describeInBrowser('browser: the staff menu fits one line at 1280 px in both languages (issue 15)', (harness) => {
  /** Signs in on the sign-in page in the page's language, whatever its words. */
  async function signIn(page: Page, slug: string, login: string) {
    await page.goto(`/${slug}/login`);
    await page.locator('input[name="login"]').fill(login);
    await page.locator('input[name="password"]').fill(testPassword);
    await page.locator(`form[action="/${slug}/login"] button[type="submit"]`).click();
    await page.waitForURL(/\/staff$/);
  }

  /** How many rows the menu's entries take, and whether it is wider than its box (scrolled). */
  const menuShape = (page: Page) =>
    page.evaluate(() => {
      const nav = document.querySelector('.site-nav')!;
      const tops = new Set([...nav.querySelectorAll('li')].map((item) => Math.round(item.getBoundingClientRect().top)));
      return { rows: tops.size, isCut: nav.scrollWidth > nav.clientWidth + 1, entries: nav.querySelectorAll('li').length };
    });

  it('keeps the longest menus (superadmin, admin) and the caretaker’s on one line, counts in two digits included', async () => {
    const tenant = await makeTenant(harness.env.db, { name: 'Przedsiębiorstwo Usług Komunalnych Złotów sp. z o.o.' });
    const admin = await makeUser(harness.env.db, tenant, 'admin', { firstName: 'Aleksandra', lastName: 'Wiśniewska-Kowalczyk' });
    const caretaker = await makeUser(harness.env.db, tenant, 'caretaker', { firstName: 'Karolina', lastName: 'Zielińska' });
    // Every count of the menu in two digits: each person's own tasks (overdue too), the queue and the change requests.
    const handled = await makeCustomer(harness.env.db, tenant, { caretaker });
    const handledClient = await makeUser(harness.env.db, tenant, 'client', { customer: handled });
    const queued = await makeCustomer(harness.env.db, tenant);
    const queuedClient = await makeUser(harness.env.db, tenant, 'client', { customer: queued });
    for (let index = 0; index < 12; index += 1) {
      await makeTicket(harness.env.db, tenant, queuedClient);
      const task = await makeTicket(harness.env.db, tenant, handledClient);
      for (const person of [tenant.superadmin, admin, caretaker]) {
        const own = person === caretaker ? task : await makeTicket(harness.env.db, tenant, handledClient);
        await harness.env.db('tickets').where('id', own.id).update({ assignee_id: person.id, due_date: '2020-01-01' });
      }
    }
    for (let index = 0; index < 11; index += 1) {
      const customer = await makeCustomer(harness.env.db, tenant, { caretaker });
      const client = await makeUser(harness.env.db, tenant, 'client', { customer });
      await requestCustomerChange(userScope(harness.env.db, client), customer.id, { ...customerDataOf(customer), city: 'Piła' });
    }

    for (const person of [tenant.superadmin, admin, caretaker]) {
      for (const locale of ['pl-PL', 'en-GB']) {
        const page = await harness.openPage(locale);
        await page.setViewportSize({ width: 1280, height: 900 });
        await signIn(page, tenant.slug, person.login);
        // The person's language follows the browser's until they choose one; make it the one asked for.
        await page.locator('.preferences button', { hasText: locale === 'pl-PL' ? 'Polski' : 'English' }).first().click();
        await page.waitForLoadState('networkidle');
        expect(await page.locator('.site-nav .nav-count').count(), 'the menu shows its counts').toBeGreaterThanOrEqual(3);
        const wide = await menuShape(page);
        expect(wide, `${person.role} ${locale} at 1280 px`).toMatchObject({ rows: 1, isCut: false });
        await harness.screenshot(page, `issue15-menu-${person.role}-${locale}-1280.png`);
        await page.setViewportSize({ width: 390, height: 844 });
        expect((await menuShape(page)).rows, `${person.role} ${locale} at 390 px: one scrolling line`).toBe(1);
        await harness.screenshot(page, `issue15-menu-${person.role}-${locale}-390.png`);
        await page.context().close();
      }
    }
  }, timeout);
});

import { enterLedgerEntry } from '../../src/models/ledger.js';
import { moneyOf } from '../../src/lib/money.js';
import { expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { createClientAccount } from '../../src/models/client-account.js';
import { logEvent } from '../../src/models/audit.js';
import { describeInBrowser } from '../support/browser.js';
import { makeCustomer, makeTenant, makeUser, scopeFor, testPassword, userScope } from '../support/factories.js';

const timeout = 60_000;

describeInBrowser('browser: the staff header and tables on a phone and a laptop (issue 14)', (harness) => {
  async function signIn(page: Page, slug: string, login: string) {
    await page.goto(`/${slug}/login`);
    await page.getByLabel('Login', { exact: true }).fill(login);
    await page.getByLabel('Hasło', { exact: true }).fill(testPassword);
    await page.getByRole('button', { name: 'Zaloguj się', exact: true }).click();
    await page.waitForURL(/\/staff$/);
  }

  /** The distinct tops of the header's pieces: how many rows the header takes. */
  const headerRows = (page: Page) =>
    page.evaluate(() => {
      const pieces = [...document.querySelectorAll('.site-header > *')].filter((element) => (element as HTMLElement).offsetParent !== null && element.getBoundingClientRect().height > 0);
      // Pieces whose heights overlap share a row (a two-line name beside a button is one row).
      const boxes = pieces.map((element) => element.getBoundingClientRect()).sort((a, b) => a.top - b.top);
      let rows = 0;
      let rowBottom = -Infinity;
      for (const box of boxes) {
        if (box.top >= rowBottom - 1) {
          rows += 1;
          rowBottom = box.bottom;
        } else rowBottom = Math.max(rowBottom, box.bottom);
      }
      const menuTops = new Set([...document.querySelectorAll('.site-nav li')].map((item) => Math.round(item.getBoundingClientRect().top)));
      return { rows, menuRows: menuTops.size, height: document.querySelector('.site-header')!.getBoundingClientRect().height };
    });

  it('fits the superadmin’s header (the longest menu) in two rows at 390 px, keeps table buttons in whole words, and marks the section of the page', async () => {
    const tenant = await makeTenant(harness.env.db, { name: 'Przedsiębiorstwo Usług Komunalnych Złotów sp. z o.o.' });
    const caretaker = await makeUser(harness.env.db, tenant, 'caretaker');
    const customer = await makeCustomer(harness.env.db, tenant, { caretaker, name: 'Wodociągi Złotów sp. z o.o.' });
    await createClientAccount(userScope(harness.env.db, caretaker), customer.id, { login: 'zaproszona', firstName: 'Zofia', lastName: 'Zaproszona', email: 'zofia@example.test', phone: null, isPrimaryContact: false, isApprover: false, access: { kind: 'invitation' } }, { bcryptCost: 4, links: harness.env.links });
    await logEvent(userScope(harness.env.db, caretaker), { action: 'customer.updated', subjectType: 'customer', subjectId: customer.id, ip: '::ffff:192.0.2.1' });

    // A payment waiting for approval gives the menu a count, whose words for screen readers are visually hidden.
    await enterLedgerEntry(scopeFor(harness.env.db, tenant), { kind: 'payment', customerId: customer.id, amount: moneyOf(10_000, 'PLN'), paidOn: '2026-11-30', method: 'transfer', reference: 'Przelew' });

    const page = await harness.openPage('pl-PL');
    await page.setViewportSize({ width: 390, height: 844 });
    await signIn(page, tenant.slug, tenant.superadmin.login);
    expect(await page.getByRole('navigation', { name: 'Menu główne', exact: true }).getByRole('link', { name: /Wpłaty/ }).textContent()).toContain('1');
    // The menu scrolls sideways inside itself: nothing in it, hidden words included, widens the page.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    const phone = await headerRows(page);
    expect(phone.rows, JSON.stringify(phone)).toBeLessThanOrEqual(2);
    expect(phone.menuRows).toBe(1);
    expect(phone.height).toBeLessThan(120);
    await harness.screenshot(page, 'issue14-staff-header-390.png');

    // The customer's accounts, with the button to send the invitation again in its row.
    await page.goto(`/${tenant.slug}/staff/customers/${customer.id}/accounts`);
    const button = page.getByRole('button', { name: /zaproszenie/i }).first();
    const box = await button.boundingBox();
    const lineHeight = await button.evaluate((element) => parseFloat(getComputedStyle(element).lineHeight) || 20);
    expect(box!.height, 'the button wraps between words at most').toBeLessThan(lineHeight * 3.5);
    expect(box!.width).toBeGreaterThan(90);
    expect(await page.getByRole('navigation', { name: 'Menu główne', exact: true }).getByRole('link', { name: 'Klienci', exact: true }).getAttribute('aria-current')).toBe('page');
    await harness.screenshot(page, 'issue14-customer-accounts-390.png');

    await page.goto(`/${tenant.slug}/admin/customers/${customer.id}/edit`);
    expect(await page.getByRole('navigation', { name: 'Menu główne', exact: true }).getByRole('link', { name: 'Klienci', exact: true }).getAttribute('aria-current')).toBe('page');

    await page.goto(`/${tenant.slug}/admin/audit-log`);
    await harness.screenshot(page, 'issue14-audit-log-390.png');
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto(`/${tenant.slug}/admin/audit-log`);
    await harness.screenshot(page, 'issue14-audit-log-1280.png');
    await page.goto(`/${tenant.slug}/staff/customers/${customer.id}/accounts`);
    await harness.screenshot(page, 'issue14-customer-accounts-1280.png');
  }, timeout);
});

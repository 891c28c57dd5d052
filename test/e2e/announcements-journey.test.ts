import type { Page } from 'playwright-core';
import { expect, it } from 'vitest';
import { seedDemo } from '../../seeds/demo.js';
import { openSystemWork } from '../../src/db/installation.js';
import { systemClock } from '../../src/lib/time.js';
import { findTenantBySlug } from '../../src/models/tenant.js';
import { demoPassword, describeInBrowser, signInToDemo as signIn } from '../support/browser.js';

const journeyTimeout = 120_000;

describeInBrowser('browser journey: an urgent announcement to a group, confirmed by anna (issue 18, C2, C3)', (harness) => {
  async function screenshots(page: Page, name: string) {
    for (const width of [1280, 390]) {
      await page.setViewportSize({ width, height: 900 });
      expect(await page.evaluate(() => document.documentElement.scrollWidth), `${name} at ${width} px`).toBeLessThanOrEqual(width);
      await harness.screenshot(page, `announcements-${name}-${width}.png`);
    }
    await page.setViewportSize({ width: 1280, height: 900 });
  }

  it('the admin sends an urgent announcement to CLIENTS: anna’s next page is the announcement until she confirms; the admin sees her as read and piotr as unread', async () => {
    const db = harness.env.db;
    await seedDemo(db, { password: demoPassword, bcryptCost: 4 });
    const system = openSystemWork(db, systemClock, 'journey fixture');
    const demo = (await findTenantBySlug(system, 'demo'))!;
    const clients = await system.scopeFor(demo.id).table('groups').where('is_default', true).first('id');

    const anna = await harness.openPage('pl-PL');
    await signIn(anna, 'anna');
    await anna.waitForURL(`${harness.baseUrl}/demo/portal`);
    expect(await anna.getByTestId('section-announcements').isVisible()).toBe(true);
    await screenshots(anna, '0-dashboard');

    // 1. The admin writes it from Administration: urgent, to the CLIENTS group.
    const admin = await harness.openPage('pl-PL');
    await signIn(admin, 'admin');
    await admin.waitForURL(`${harness.baseUrl}/demo/staff`);
    await admin.goto('/demo/admin');
    await admin.getByTestId('announcements-link').click();
    await admin.waitForURL(`${harness.baseUrl}/demo/admin/announcements`);
    await admin.getByTestId('new-announcement').click();
    await admin.getByLabel('Tytuł', { exact: true }).fill('Przerwa w dostawie prądu');
    await admin.getByLabel('Treść', { exact: true }).fill('W czwartek od **10:00** do 12:00 biuro nie odbiera telefonów.\n\n- zgłoszenia w portalu działają\n- pilne sprawy: biuro@demo.example');
    await admin.locator('#audience-group').check();
    await admin.locator('#field-groupId').selectOption(String(clients.id));
    await admin.locator('#field-isUrgent').check();
    await screenshots(admin, '1-form');
    await admin.getByTestId('publish-announcement').click();
    await admin.waitForURL(/\/demo\/admin\/announcements\/\d+$/);
    const announcementPath = new URL(admin.url()).pathname;

    // 2. anna's next page is the announcement, whatever she opens, until she confirms.
    await anna.goto('/demo/portal/tickets');
    expect(await anna.getByTestId('urgent-announcement').isVisible()).toBe(true);
    expect(await anna.locator('h1').textContent()).toBe('Przerwa w dostawie prądu');
    await screenshots(anna, '2-urgent');
    await anna.goto('/demo/portal/company');
    expect(await anna.getByTestId('urgent-announcement').isVisible()).toBe(true);
    await anna.getByTestId('confirm-announcement').click();
    await anna.waitForURL(`${harness.baseUrl}/demo/portal/company`);
    expect(await anna.getByTestId('urgent-announcement').count()).toBe(0);
    await anna.goto('/demo/portal/announcements');
    await screenshots(anna, '3-list');

    // 3. The admin sees anna as read, piotr (also in CLIENTS, at Beta) as not yet.
    await admin.goto(announcementPath);
    expect(await admin.getByTestId('reader-counts').textContent()).toBe('Przeczytało 1 z 2, jeszcze nie: 1.');
    expect(await admin.locator('tr[data-login="anna"] [data-testid="reader-state"]').textContent()).toBe('Przeczytany');
    expect(await admin.locator('tr[data-login="piotr"] [data-testid="reader-state"]').textContent()).toBe('Nieprzeczytany');
    await screenshots(admin, '4-readers');
    const csv = await (await admin.request.get(`${announcementPath}/readers.csv`)).text();
    expect(csv).toMatch(/anna;Przeczytany;\d{4}-\d{2}-\d{2} \d{2}:\d{2}/);
    expect(csv).toContain('piotr;Nieprzeczytany;');
    await admin.goto('/demo/admin/announcements');
    await screenshots(admin, '5-list');
  }, journeyTimeout);
});

import type { Page } from 'playwright-core';
import { expect, it } from 'vitest';
import { seedDemo } from '../../seeds/demo.js';
import { openSystemWork } from '../../src/db/installation.js';
import { calendarDateIn, systemClock } from '../../src/lib/time.js';
import { defaultPortlets, portletRegistry } from '../../src/models/portlet-registry.js';
import { periodRange } from '../../src/models/report-period.js';
import { saveSettings } from '../../src/models/settings.js';
import { findTenantBySlug } from '../../src/models/tenant.js';
import { demoPassword, describeInBrowser, signInToDemo as signIn } from '../support/browser.js';

const journeyTimeout = 120_000;

describeInBrowser('browser journey: a group’s report portlet taken away and given back (issue 17, P1–P4)', (harness) => {
  async function screenshots(page: Page, name: string) {
    for (const width of [1280, 390]) {
      await page.setViewportSize({ width, height: 900 });
      expect(await page.evaluate(() => document.documentElement.scrollWidth), `${name} at ${width} px`).toBeLessThanOrEqual(width);
      await harness.screenshot(page, `portlets-${name}-${width}.png`);
    }
    await page.setViewportSize({ width: 1280, height: 900 });
  }

  it('the admin removes the settlements report from CLIENTS: anna’s next page lacks it and its URL is 403; given back for three months, anna sees exactly those months', async () => {
    const db = harness.env.db;
    await seedDemo(db, { password: demoPassword, bcryptCost: 4 });
    const system = openSystemWork(db, systemClock, 'journey fixture');
    const demo = (await findTenantBySlug(system, 'demo'))!;
    const scope = system.scopeFor(demo.id);
    const clients = await scope.table('groups').where('is_default', true).first('id');
    const groupId = Number(clients.id);
    // CLIENTS has the everyday portlets and the settlements report for this year to begin with.
    await saveSettings(scope, 'group', groupId, { 'portal.portlets': [...defaultPortlets, { id: 'settlementsReport', settings: { ...portletRegistry.settlementsReport.defaults, period: { kind: 'thisYear' } } }] });

    const anna = await harness.openPage('pl-PL');
    await signIn(anna, 'anna');
    await anna.waitForURL(`${harness.baseUrl}/demo/portal`);
    expect(await anna.getByTestId('section-settlementsReport').isVisible()).toBe(true);

    // 1. The admin takes the report away on the group's page.
    const admin = await harness.openPage('pl-PL');
    await signIn(admin, 'admin');
    await admin.waitForURL(`${harness.baseUrl}/demo/staff`);
    await admin.goto(`/demo/admin/groups/${groupId}/edit`);
    await admin.getByTestId('group-portlets-link').click();
    await admin.waitForURL(`${harness.baseUrl}/demo/admin/groups/${groupId}/portlets`);
    expect(await admin.locator('#mode-own').isChecked()).toBe(true);
    await admin.locator('#shown-settlementsReport').uncheck();
    await admin.getByTestId('save-portlets').click();
    await admin.waitForURL(`${harness.baseUrl}/demo/admin/groups/${groupId}/portlets`);
    expect(await admin.locator('#shown-settlementsReport').isChecked()).toBe(false);
    await screenshots(admin, '1-group');

    // 2. anna's next page lacks it, and its address answers 403.
    await anna.reload();
    expect(await anna.getByTestId('section-settlementsReport').count()).toBe(0);
    expect(await anna.getByTestId('section-balance').isVisible()).toBe(true);
    const refused = await anna.goto('/demo/portal/reports/settlements');
    expect(refused?.status()).toBe(403);
    expect(await anna.locator('body').textContent()).toContain('Ten raport nie jest dostępny dla Twojej grupy.');
    const refusedCsv = await anna.request.get('/demo/portal/reports/settlements/csv');
    expect(refusedCsv.status()).toBe(403);

    // 3. The admin gives it back, for the last three months.
    await admin.locator('#shown-settlementsReport').check();
    await admin.locator('tr[data-portlet="settlementsReport"] summary').click();
    await admin.locator('#field-period_settlementsReport').selectOption('lastMonths');
    await admin.locator('#field-months_settlementsReport').fill('3');
    await admin.getByTestId('save-portlets').click();
    await admin.waitForURL(`${harness.baseUrl}/demo/admin/groups/${groupId}/portlets`);

    // 4. anna sees it again, over exactly those months: every row within them, none before.
    const today = calendarDateIn(harness.env.clock.now(), demo.timeZone);
    const range = periodRange({ kind: 'lastMonths', months: 3 }, today);
    await anna.goto('/demo/portal');
    expect(await anna.getByTestId('section-settlementsReport').isVisible()).toBe(true);
    await anna.getByTestId('settlementsReport-link').click();
    await anna.waitForURL(`${harness.baseUrl}/demo/portal/reports/settlements`);
    expect(await anna.getByTestId('report-period').textContent()).toContain('Ostatnie 3 miesiące');
    const csv = await (await anna.request.get('/demo/portal/reports/settlements/csv')).text();
    const dates = csv.replace('\uFEFF', '').trim().split('\r\n').slice(1).map((line) => line.split(';')[0]!);
    const approved = await scope.table('ledger_entries').where({ customer_id: Number((await scope.table('customers').where('name', 'Alfa sp. z o.o.').first('id')).id), status: 'approved' }).pluck('entry_date');
    const expected = approved.map((value) => String(value instanceof Date ? value.toISOString() : value).slice(0, 10)).filter((day) => day >= range.from && day <= range.to).sort();
    expect(dates).toEqual(expected);
    expect(dates.length).toBeGreaterThan(0);
    expect(await anna.getByTestId('report-row').count()).toBe(expected.length);
    await screenshots(anna, '2-report');
  }, journeyTimeout);
});

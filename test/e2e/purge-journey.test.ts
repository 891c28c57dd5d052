import { expect, it } from 'vitest';
import { seedDemo } from '../../seeds/demo.js';
import { openSystemWork } from '../../src/db/installation.js';
import { systemClock } from '../../src/lib/time.js';
import { findTenantBySlug } from '../../src/models/tenant.js';
import { demoPassword, describeInBrowser, signInToDemo as signIn } from '../support/browser.js';

const journeyTimeout = 120_000;

describeInBrowser('browser journey: a superadmin purges a customer and an admin approves it (issue 18, D2)', (harness) => {
  it('the superadmin deactivates Beta, sees what its purge removes, types its name; the admin approves, and Beta is gone', async () => {
    await seedDemo(harness.env.db, { password: demoPassword, bcryptCost: 4 });
    const system = openSystemWork(harness.env.db, systemClock, 'journey fixture');
    const demo = (await findTenantBySlug(system, 'demo'))!;
    const betaId = Number((await system.scopeFor(demo.id).table('customers').where('name', 'Beta s.r.o.').first('id')).id);

    // 1. The superadmin finds the customer's data section, deactivates Beta first, and opens the purge's preview.
    const superadmin = await harness.openPage('pl-PL');
    await signIn(superadmin, 'superadmin');
    await superadmin.waitForURL(`${harness.baseUrl}/demo/staff`);
    await superadmin.goto(`/demo/staff/customers/${betaId}`);
    expect(await superadmin.getByTestId('customer-export').isVisible()).toBe(true);
    expect(await superadmin.getByTestId('customer-purge-link').count()).toBe(0);
    await superadmin.goto(`/demo/admin/customers/${betaId}/deactivation/new`);
    await superadmin.getByRole('button', { name: /Dezaktywuj/ }).click();
    await superadmin.waitForURL(`${harness.baseUrl}/demo/staff/customers/${betaId}`);
    await superadmin.getByTestId('customer-purge-link').click();
    await superadmin.waitForURL(`${harness.baseUrl}/demo/admin/purge-requests/customers/${betaId}/new`);
    expect(await superadmin.getByTestId('purge-count-customers').textContent()).toContain('1');
    await superadmin.setViewportSize({ width: 1280, height: 900 });
    await harness.screenshot(superadmin, 'purge-preview-1280.png');
    await superadmin.setViewportSize({ width: 390, height: 844 });
    await harness.screenshot(superadmin, 'purge-preview-390.png');

    // 2. A name typed wrong is refused; typed right, the request waits for a second person.
    await superadmin.getByLabel(/Aby potwierdzić, wpisz/).fill('beta');
    await superadmin.getByTestId('purge-confirm').click();
    expect(await superadmin.locator('#field-confirmation-error').textContent()).toContain('nie zgadza się');
    await superadmin.getByLabel(/Aby potwierdzić, wpisz/).fill('Beta s.r.o.');
    await superadmin.getByTestId('purge-confirm').click();
    await superadmin.waitForURL(/\/demo\/admin\/purge-requests\/\d+$/);
    expect(await superadmin.getByTestId('purge-status').textContent()).toContain('czeka na zatwierdzenie');
    expect(await superadmin.getByTestId('purge-own-request').isVisible()).toBe(true);
    const requestUrl = superadmin.url();

    // 3. The admin finds it among the requests and approves it: the purge runs.
    const admin = await harness.openPage('pl-PL');
    await signIn(admin, 'admin');
    await admin.waitForURL(`${harness.baseUrl}/demo/staff`);
    await admin.goto('/demo/admin/purge-requests');
    await admin.setViewportSize({ width: 1280, height: 800 });
    await harness.screenshot(admin, 'purge-requests-1280.png');
    await admin.goto(requestUrl);
    await harness.screenshot(admin, 'purge-request-waiting-1280.png');
    await admin.getByTestId('purge-approve').click();
    await admin.waitForURL(requestUrl);
    expect(await admin.getByTestId('purge-status').textContent()).toContain('usunięto');
    await admin.setViewportSize({ width: 390, height: 844 });
    await harness.screenshot(admin, 'purge-request-run-390.png');
    await admin.setViewportSize({ width: 1280, height: 800 });
    await harness.screenshot(admin, 'purge-request-run-1280.png');

    // 4. Beta is gone for everyone.
    const gone = await superadmin.goto(`/demo/staff/customers/${betaId}`);
    expect(gone?.status()).toBe(404);
  }, journeyTimeout);
});

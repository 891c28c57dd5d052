import { pino } from 'pino';
import { expect, it } from 'vitest';
import { seedDemo } from '../../seeds/demo.js';
import { auditVerify } from '../../src/jobs/audit-verify.js';
import { jobContextOn } from '../../src/jobs/kind.js';
import type { Job } from '../../src/models/job.js';
import { demoPassword, describeInBrowser, signInToDemo as signIn } from '../support/browser.js';

const journeyTimeout = 90_000;

describeInBrowser('browser journeys of issue 18: a message to the office (C1), a broken audit chain (D3)', (harness) => {
  it('Anna writes to the office from her tickets, is refused an empty message, then finds it filed; the office sees it in the queue', async () => {
    await seedDemo(harness.env.db, { password: demoPassword, bcryptCost: 4 });
    const anna = await harness.openPage('pl-PL');
    await signIn(anna, 'anna');
    await anna.waitForURL(`${harness.baseUrl}/demo/portal`);
    await anna.setViewportSize({ width: 1280, height: 900 });
    await anna.goto('/demo/portal/tickets');
    await anna.getByTestId('write-to-office').click();
    await anna.waitForURL(`${harness.baseUrl}/demo/portal/messages/new`);
    await harness.screenshot(anna, 'issue18-office-message-1280.png');

    await anna.getByLabel('Temat', { exact: true }).fill('Faktury na nowy adres');
    await anna.getByRole('button', { name: 'Wyślij wiadomość', exact: true }).click();
    expect(await anna.locator('#field-message-error').textContent()).toBeTruthy();
    expect(await anna.getByLabel('Temat', { exact: true }).inputValue()).toBe('Faktury na nowy adres');
    await anna.setViewportSize({ width: 390, height: 844 });
    expect(await anna.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await harness.screenshot(anna, 'issue18-office-message-refused-390.png');

    await anna.getByLabel('Wiadomość', { exact: true }).fill('Prosimy o wysyłanie faktur na adres ul. Nowa 5, Kraków.');
    await anna.getByRole('button', { name: 'Wyślij wiadomość', exact: true }).click();
    await anna.waitForURL(/\/demo\/portal\/tickets\/\d+$/);
    expect(await anna.content()).toContain('Wiadomość została wysłana do biura.');
    expect(await anna.getByTestId('ticket-status').textContent()).toBe('Nowe');

    const caretaker = await harness.openPage('pl-PL');
    await signIn(caretaker, 'caretaker');
    await caretaker.waitForURL(`${harness.baseUrl}/demo/staff`);
    await caretaker.goto('/demo/staff/queue');
    expect(await caretaker.getByRole('link', { name: 'Faktury na nowy adres', exact: true }).isVisible()).toBe(true);
  }, journeyTimeout);

  it('warns the superadmin on the start page when the nightly verification found the audit chain changed', async () => {
    await seedDemo(harness.env.db, { password: demoPassword, bcryptCost: 4 });
    const demo = await harness.env.db('tenants').where('slug', 'demo').first('id');
    await harness.env.db('audit_log').where({ tenant_id: demo.id, sequence: 3 }).update({ action: 'user.unlocked' });
    const context = jobContextOn(harness.env.db, { mailer: harness.env.mailer, i18n: harness.env.deps.i18n, logger: pino({ level: 'silent' }), clock: harness.env.clock.now, forgetsLinks: false });
    await auditVerify.run(context, {}, {} as Job);
    const superadmin = await harness.openPage('pl-PL');
    await superadmin.setViewportSize({ width: 1280, height: 900 });
    await signIn(superadmin, 'superadmin');
    await superadmin.waitForURL(`${harness.baseUrl}/demo/staff`);
    expect(await superadmin.getByTestId('audit-chain-break').textContent()).toBe('Wpis 3 zmieniono po jego zapisaniu.');
    await harness.screenshot(superadmin, 'issue18-audit-chain-broken-1280.png');
  }, journeyTimeout);
});

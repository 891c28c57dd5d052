import { expect, it } from 'vitest';
import { seedDemo } from '../../seeds/demo.js';
import { openSystemWork } from '../../src/db/installation.js';
import { systemClock } from '../../src/lib/time.js';
import { findTenantBySlug } from '../../src/models/tenant.js';
import { createUser } from '../../src/models/user.js';
import { demoPassword, describeInBrowser, mainMenu, signInToDemo as signIn } from '../support/browser.js';

const journeyTimeout = 90_000;

describeInBrowser('browser journey: a ticket waits for the company’s approval (issue 15, T7)', (harness) => {
  const menu = mainMenu;

  it('with approval mandatory for Alfa, Marek’s ticket waits until anna approves it, then reaches Karolina', async () => {
    await seedDemo(harness.env.db, { password: demoPassword, bcryptCost: 4 });
    const system = openSystemWork(harness.env.db, systemClock, 'journey fixture');
    const demo = (await findTenantBySlug(system, 'demo'))!;
    const scope = system.scopeFor(demo.id);
    const alfa = await scope.table('customers').where('name', 'Alfa sp. z o.o.').first('id');
    await createUser(scope, { login: 'marek', email: 'marek@alfa.example', firstName: 'Marek', lastName: 'Wójcik', role: 'client', customerId: Number(alfa.id), password: demoPassword }, { bcryptCost: 4 });

    // 1. An admin makes approval mandatory for Alfa on its customer form.
    const admin = await harness.openPage('pl-PL');
    await signIn(admin, 'admin');
    await admin.waitForURL(`${harness.baseUrl}/demo/staff`);
    await admin.goto(`/demo/admin/customers/${Number(alfa.id)}/edit`);
    await admin.getByLabel('Akceptacja zgłoszeń', { exact: true }).selectOption({ label: 'Akceptacja obowiązkowa' });
    await admin.getByRole('button', { name: 'Zapisz zmiany', exact: false }).click();
    await admin.waitForURL(/\/demo\/staff\/customers\/\d+$/);
    expect(await admin.getByTestId('setting-ticketApproval').textContent()).toContain('akceptacja obowiązkowa');

    // 2. Marek, who does not approve, files a ticket: it waits.
    const marek = await harness.openPage('pl-PL');
    await signIn(marek, 'marek');
    await marek.goto('/demo/portal/tickets/new');
    expect(await marek.getByTestId('approval-mandatory').isVisible()).toBe(true);
    await marek.getByLabel('Kategoria', { exact: true }).selectOption({ label: 'Zgłoszenie awarii' });
    await marek.getByLabel('Tytuł', { exact: true }).fill('Zamówienie tonera do drukarki');
    await marek.getByLabel('Opis', { exact: true }).fill('Toner kończy się w drukarce na parterze.');
    await marek.getByRole('button', { name: 'Wyślij zgłoszenie', exact: true }).click();
    await marek.waitForURL(/\/demo\/portal\/tickets\/\d+$/);
    const ticketUrl = marek.url();
    expect(await marek.getByTestId('ticket-status').textContent()).toBe('Czeka na akceptację');
    expect(await marek.getByTestId('approval-notice').isVisible()).toBe(true);

    // 3. Karolina does not have it yet.
    const karolina = await harness.openPage('pl-PL');
    await signIn(karolina, 'caretaker');
    await karolina.waitForURL(`${harness.baseUrl}/demo/staff`);
    await karolina.goto('/demo/staff/tasks');
    expect(await karolina.content()).not.toContain('Zamówienie tonera do drukarki');

    // 4. Anna finds it under "Do akceptacji" and approves it.
    const anna = await harness.openPage('pl-PL');
    await signIn(anna, 'anna');
    await anna.waitForURL(`${harness.baseUrl}/demo/portal`);
    await menu(anna).getByRole('link', { name: 'Do akceptacji (oczekujące: 1)', exact: true }).click();
    await anna.getByRole('link', { name: 'Zamówienie tonera do drukarki', exact: true }).click();
    await harness.screenshot(anna, 'approval-1-waiting.png');
    await anna.getByRole('button', { name: 'Zaakceptuj zgłoszenie', exact: true }).click();
    await anna.waitForURL(`${harness.baseUrl}/demo/portal/approvals`);
    expect(await anna.getByTestId('approvals-empty').isVisible()).toBe(true);

    // 5. Now it is Karolina's task, and Marek sees it new, handled by her, approved by Anna.
    await karolina.goto('/demo/staff/tasks');
    expect(await karolina.getByRole('link', { name: 'Zamówienie tonera do drukarki', exact: true }).isVisible()).toBe(true);
    await marek.goto(ticketUrl);
    expect(await marek.getByTestId('ticket-status').textContent()).toBe('Nowe');
    expect(await marek.getByTestId('ticket-handled-by').textContent()).toBe('Karolina Zielińska');
    expect(await marek.getByTestId('ticket-history').textContent()).toContain('Zaakceptowano zgłoszenie (Anna Nowak)');
    await harness.screenshot(marek, 'approval-2-approved.png');
  }, journeyTimeout);
});

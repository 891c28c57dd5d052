import { expect, it } from 'vitest';
import { seedDemo } from '../../seeds/demo.js';
import { demoPassword, describeInBrowser, signInToDemo as signIn } from '../support/browser.js';

const journeyTimeout = 90_000;

describeInBrowser('browser journey: a client writes to the office (issue 18, C1)', (harness) => {
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
});

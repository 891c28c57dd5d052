import { expect, it } from 'vitest';
import { seedDemo } from '../../seeds/demo.js';
import { demoPassword, describeInBrowser, mainMenu, signInToDemo as signIn } from '../support/browser.js';

const journeyTimeout = 90_000;

describeInBrowser('browser journey: a failure report from filing to work in progress (issue 15)', (harness) => {
  const menu = mainMenu;

  it('anna files a failure report; Karolina finds it in her tasks, replies, sets a due date and starts work; anna sees it all', async () => {
    await seedDemo(harness.env.db, { password: demoPassword, bcryptCost: 4 });

    // 1. Anna (Alfa sp. z o.o.) files a failure report from her ticket list.
    const anna = await harness.openPage('pl-PL');
    await signIn(anna, 'anna');
    await anna.waitForURL(`${harness.baseUrl}/demo/portal`);
    await menu(anna).getByRole('link', { name: 'Zgłoszenia', exact: true }).click();
    expect(await anna.getByTestId('tickets-empty').isVisible()).toBe(true);
    await anna.getByRole('link', { name: 'Nowe zgłoszenie', exact: true }).click();
    await anna.getByLabel('Kategoria', { exact: true }).selectOption({ label: 'Zgłoszenie awarii' });
    await anna.getByLabel('Tytuł', { exact: true }).fill('Nie działa drukarka w biurze');
    await anna.getByLabel('Opis', { exact: true }).fill('Drukarka na parterze pokazuje błąd E-04 od rana.');
    await anna.getByRole('button', { name: 'Wyślij zgłoszenie', exact: true }).click();
    await anna.waitForURL(/\/demo\/portal\/tickets\/\d+$/);
    const ticketUrl = anna.url();
    expect(await anna.getByTestId('ticket-number').textContent()).toMatch(/^\d{4}\/000001$/);
    expect(await anna.getByTestId('ticket-status').textContent()).toBe('Nowe');
    expect(await anna.getByTestId('ticket-handled-by').textContent()).toBe('Karolina Zielińska');
    await harness.screenshot(anna, 'tickets-1-filed.png');

    // 2. Karolina, the caretaker, sees it counted in her menu and finds it in "Moje zadania".
    const karolina = await harness.openPage('pl-PL');
    await signIn(karolina, 'caretaker');
    await karolina.waitForURL(`${harness.baseUrl}/demo/staff`);
    const tasksEntry = menu(karolina).getByRole('link', { name: 'Moje zadania (oczekujące: 1)', exact: true });
    expect(await tasksEntry.getByTestId('nav-count').textContent()).toBe('1');
    await tasksEntry.click();
    await karolina.getByRole('link', { name: 'Nie działa drukarka w biurze', exact: true }).click();
    await karolina.waitForURL(/\/demo\/staff\/tickets\/\d+$/);

    // 3. She replies, adds an internal note, sets a due date and moves the task to "w realizacji".
    await karolina.getByLabel('Treść', { exact: true }).fill('Technik przyjedzie w czwartek rano.');
    await karolina.getByRole('button', { name: 'Dodaj', exact: true }).click();
    await karolina.getByLabel('Treść', { exact: true }).fill('Klient ma umowę serwisową do końca roku.');
    await karolina.getByLabel('Notatka wewnętrzna (klient jej nie zobaczy)', { exact: true }).check();
    await karolina.getByRole('button', { name: 'Dodaj', exact: true }).click();
    await karolina.getByLabel('Termin', { exact: false }).fill('2031-03-15');
    await karolina.getByRole('button', { name: 'Zapisz termin i priorytet', exact: true }).click();
    await karolina.getByTestId('status-select').selectOption({ label: 'W realizacji' });
    await karolina.getByRole('button', { name: 'Zmień status', exact: true }).click();
    expect(await karolina.getByTestId('ticket-status').textContent()).toBe('W realizacji');
    expect(await karolina.getByTestId('internal-note').textContent()).toContain('umowę serwisową');
    await harness.screenshot(karolina, 'tickets-2-task.png');

    // 4. Anna sees the reply, the due date and who handles it; never the internal note.
    await anna.goto(ticketUrl);
    expect(await anna.getByTestId('ticket-status').textContent()).toBe('W realizacji');
    expect(await anna.getByTestId('ticket-due-date').textContent()).toBe('15.03.2031');
    expect(await anna.getByTestId('ticket-handled-by').textContent()).toBe('Karolina Zielińska');
    expect(await anna.getByTestId('ticket-conversation').textContent()).toContain('Technik przyjedzie w czwartek rano.');
    expect(await anna.content()).not.toContain('umowę serwisową');
    await harness.screenshot(anna, 'tickets-3-client-sees-progress.png');
  }, journeyTimeout);
});

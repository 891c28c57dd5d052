import { expect, it } from 'vitest';
import { seedDemo } from '../../seeds/demo.js';
import { demoPassword, describeInBrowser, mainMenu, signInToDemo as signIn } from '../support/browser.js';

const journeyTimeout = 90_000;

describeInBrowser('browser journey: the start pages’ tickets and the search (issue 15, T5)', (harness) => {
  const menu = mainMenu;

  it('Karolina finds anna’s ticket on her start page and by its note; anna sees it waiting for her reply and finds it by a word, never by the note', async () => {
    await seedDemo(harness.env.db, { password: demoPassword, bcryptCost: 4 });

    // 1. Anna files a failure report.
    const anna = await harness.openPage('pl-PL');
    await signIn(anna, 'anna');
    await anna.waitForURL(`${harness.baseUrl}/demo/portal`);
    await anna.getByRole('link', { name: 'Nowe zgłoszenie', exact: true }).click();
    await anna.getByLabel('Kategoria', { exact: true }).selectOption({ label: 'Zgłoszenie awarii' });
    await anna.getByLabel('Tytuł', { exact: true }).fill('Żółta lampka na routerze');
    await anna.getByLabel('Opis', { exact: true }).fill('Od rana miga żółta lampka, internet w biurze nie działa.');
    await anna.getByRole('button', { name: 'Wyślij zgłoszenie', exact: true }).click();
    await anna.waitForURL(/\/demo\/portal\/tickets\/\d+$/);

    // 2. Karolina sees it in "Moje zadania" on her start page, notes something and asks anna a question.
    const karolina = await harness.openPage('pl-PL');
    await signIn(karolina, 'caretaker');
    await karolina.waitForURL(`${harness.baseUrl}/demo/staff`);
    const myTasks = karolina.getByTestId('section-my-tasks');
    expect(await myTasks.getByTestId('my-tasks-total').textContent()).toBe('1');
    await harness.screenshot(karolina, 'search-1-caretaker-start.png');
    await myTasks.getByRole('link', { name: 'Żółta lampka na routerze', exact: true }).click();
    await karolina.getByLabel('Treść', { exact: true }).fill('Router objęty umową serwisową, wymiana bez opłat.');
    await karolina.getByLabel('Notatka wewnętrzna (klient jej nie zobaczy)', { exact: true }).check();
    await karolina.getByRole('button', { name: 'Dodaj', exact: true }).click();
    await karolina.getByLabel('Treść', { exact: true }).fill('Czy router stoi w serwerowni, czy w sekretariacie?');
    await karolina.getByRole('button', { name: 'Dodaj', exact: true }).click();
    await karolina.getByTestId('status-select').selectOption({ label: 'Czeka na klienta' });
    await karolina.getByRole('button', { name: 'Zmień status', exact: true }).click();
    expect(await karolina.getByTestId('ticket-status').textContent()).toBe('Czeka na klienta');

    // 3. She finds it in her tasks by a word of the internal note's beginning.
    await menu(karolina).getByRole('link', { name: /^Moje zadania/ }).click();
    await karolina.getByLabel('Szukaj: numer, tytuł, opis, odpowiedzi, notatki', { exact: true }).fill('umow');
    await karolina.getByRole('button', { name: 'Pokaż', exact: true }).click();
    expect(await karolina.getByTestId('task-count').textContent()).toContain('1');
    expect(await karolina.getByRole('link', { name: 'Żółta lampka na routerze', exact: true }).isVisible()).toBe(true);
    await harness.screenshot(karolina, 'search-2-caretaker-finds-by-note.png');

    // 4. Anna's start page says the ticket waits for her reply.
    await anna.goto('/demo/portal');
    const waiting = anna.getByTestId('section-waiting-tickets');
    expect(await waiting.getByTestId('waiting-tickets-total').textContent()).toBe('1');
    expect(await waiting.getByRole('link', { name: 'Żółta lampka na routerze', exact: true }).isVisible()).toBe(true);
    expect(await anna.getByTestId('section-open-tickets').textContent()).toContain('Karolina Zielińska');
    await harness.screenshot(anna, 'search-3-client-start-waiting.png');

    // 5. She finds it by a word of the question, and never by the note.
    await menu(anna).getByRole('link', { name: 'Zgłoszenia', exact: true }).click();
    await anna.getByLabel('Szukane słowa', { exact: true }).fill('serwerowni');
    await anna.getByRole('button', { name: 'Szukaj', exact: true }).click();
    expect(await anna.getByTestId('ticket-count').textContent()).toBe('Liczba znalezionych zgłoszeń: 1');
    await harness.screenshot(anna, 'search-4-client-finds.png');
    await anna.getByLabel('Szukane słowa', { exact: true }).fill('umową');
    await anna.getByRole('button', { name: 'Szukaj', exact: true }).click();
    expect(await anna.getByTestId('tickets-empty').isVisible()).toBe(true);
    await harness.screenshot(anna, 'search-5-client-not-by-note.png');
  }, journeyTimeout);
});

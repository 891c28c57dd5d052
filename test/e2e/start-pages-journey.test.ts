import type { Page } from 'playwright-core';
import { expect, it } from 'vitest';
import { seedDemo } from '../../seeds/demo.js';
import { demoPassword, describeInBrowser, mainMenu, signInToDemo as signIn } from '../support/browser.js';

const journeyTimeout = 90_000;

describeInBrowser('browser journey: the start pages (issue 14)', (harness) => {
  const headingOf = async (page: Page) => (await page.getByRole('heading', { level: 1 }).textContent())?.trim();
  const section = (page: Page, id: string) => page.getByTestId(`section-${id}`);
  const menu = mainMenu;

  /** A full-page screenshot at a laptop's width and at a phone's. */
  async function screenshots(page: Page, name: string) {
    for (const width of [1280, 390]) {
      await page.setViewportSize({ width, height: 900 });
      await harness.screenshot(page, `start-pages-${name}-${width}.png`);
    }
    await page.setViewportSize({ width: 1280, height: 900 });
  }

  it('anna sees her caretaker and the office, files a change request, and her caretaker’s menu counts it', async () => {
    await seedDemo(harness.env.db, { password: demoPassword, bcryptCost: 4 });

    // 1. Anna (a client of Alfa sp. z o.o.) signs in and lands on her start page.
    const anna = await harness.openPage('pl-PL');
    await signIn(anna, 'anna');
    await anna.waitForURL(`${harness.baseUrl}/demo/portal`);
    expect(await headingOf(anna)).toBe('Witaj, Anna');
    const care = section(anna, 'care');
    expect(await care.getByTestId('caretaker-name').textContent()).toBe('Karolina Zielińska');
    expect(await care.getByRole('link', { name: 'caretaker@demo.example', exact: true }).getAttribute('href')).toBe('mailto:caretaker@demo.example');
    expect(await care.getByRole('link', { name: '+48 22 100 20 30', exact: true }).getAttribute('href')).toBe('tel:+48221002030');
    const provider = section(anna, 'provider');
    expect(await provider.getByTestId('provider-name').textContent()).toBe('Demo Serwis sp. z o.o.');
    expect(await provider.getByRole('link', { name: 'biuro@demo.example', exact: true }).getAttribute('href')).toBe('mailto:biuro@demo.example');
    expect(await provider.getByText('pon.–pt. 8:00–16:00').isVisible()).toBe(true);
    expect(await anna.getByRole('banner').textContent(), 'no role in the header').not.toMatch(/klient\)/);
    expect(await section(anna, 'change-requests').getByText('Żaden wniosek o zmianę danych nie czeka na decyzję', { exact: false }).isVisible()).toBe(true);
    await screenshots(anna, '1-client-start');

    // 2. She asks for a change of the company's address from the start page.
    await section(anna, 'company').getByRole('link', { name: 'Poproś o zmianę danych', exact: true }).click();
    await anna.waitForURL(`${harness.baseUrl}/demo/portal/company/change-requests/new`);
    await anna.getByLabel('Ulica i numer', { exact: true }).fill('ul. Nowa 5');
    await anna.getByLabel('Miejscowość', { exact: true }).fill('Kraków');
    await anna.getByRole('button', { name: 'Wyślij wniosek', exact: true }).click();
    await anna.waitForURL(`${harness.baseUrl}/demo/portal/company`);
    await menu(anna).getByRole('link', { name: 'Pulpit', exact: true }).click();
    await anna.waitForURL(`${harness.baseUrl}/demo/portal`);
    const requests = section(anna, 'change-requests');
    expect(await requests.getByText('oczekuje na decyzję', { exact: true }).isVisible()).toBe(true);
    expect(await requests.textContent()).toContain('Ulica i numer, Miejscowość');
    await screenshots(anna, '2-client-start-with-request');

    // 3. Her caretaker is e-mailed, by name, with a link to the request.
    await harness.env.deliverMail();
    const notice = harness.env.mailer.sent.find((mail) => mail.to === 'caretaker@demo.example');
    expect(notice?.subject).toBe('Demo Serwis sp. z o.o.: Alfa sp. z o.o. prosi o zmianę danych');
    expect(notice?.text).toContain('Dzień dobry Karolina,');
    const link = /(http:\/\/\S+\/demo\/staff\/change-requests\/\d+)/.exec(notice?.text ?? '')?.[1];
    expect(link).toBeDefined();

    // 4. Karolina signs in: the menu counts the request, the start page lists it with her customers.
    const karolina = await harness.openPage('pl-PL');
    await signIn(karolina, 'caretaker');
    await karolina.waitForURL(`${harness.baseUrl}/demo/staff`);
    const changesEntry = menu(karolina).getByRole('link', { name: 'Wnioski (oczekujące: 1)', exact: true });
    expect(await changesEntry.getByTestId('nav-count').textContent()).toBe('1');
    const pending = section(karolina, 'pending-requests');
    expect(await pending.getByRole('link', { name: 'Alfa sp. z o.o.', exact: true }).getAttribute('href')).toBe(new URL(link!).pathname);
    expect(await section(karolina, 'customers').getByRole('link', { name: 'Alfa sp. z o.o.', exact: true }).isVisible()).toBe(true);
    expect(await section(karolina, 'without-accounts').textContent()).toContain('Każdy klient ma co najmniej jedno aktywne konto w portalu.');
    expect(await karolina.getByTestId('section-locked-accounts').count(), 'accounts are for admins').toBe(0);
    await screenshots(karolina, '3-caretaker-start');

    // 5. She opens her notification settings from her account page.
    await menu(karolina).getByRole('link', { name: 'Moje konto', exact: true }).click();
    await karolina.getByRole('link', { name: 'Powiadomienia e-mail', exact: true }).click();
    await karolina.waitForURL(`${harness.baseUrl}/demo/account/notifications`);
    // Staff have two switches since T9 (change requests, their tasks): this one is the change requests'.
    expect(await karolina.getByTestId('switch-changeRequests').getByLabel('Wysyłaj e-mail', { exact: true }).isChecked()).toBe(true);
    await screenshots(karolina, '4-caretaker-notifications');

    // 6. The admin sees the whole tenant (Beta s.r.o. has no caretaker) and edits the provider details.
    const admin = await harness.openPage('pl-PL');
    await signIn(admin, 'admin');
    await admin.waitForURL(`${harness.baseUrl}/demo/staff`);
    expect(await section(admin, 'customers').textContent()).toMatch(/Alfa sp\. z o\.o\.[\s\S]*Beta s\.r\.o\./);
    expect(await section(admin, 'expired-invitations').isVisible()).toBe(true);
    await screenshots(admin, '5-admin-start');
    await menu(admin).getByRole('link', { name: 'Administracja', exact: true }).click();
    await admin.getByRole('link', { name: 'Zmień dane dostawcy', exact: true }).click();
    await admin.waitForURL(`${harness.baseUrl}/demo/admin/provider-details`);
    expect(await menu(admin).getByRole('link', { name: 'Administracja', exact: true }).getAttribute('aria-current')).toBe('page');
    await admin.getByLabel('Telefon biura', { exact: false }).fill('zadzwoń do nas');
    await admin.getByRole('button', { name: 'Zapisz dane dostawcy', exact: true }).click();
    expect(await admin.getByText('Wpisz numer telefonu', { exact: false }).isVisible()).toBe(true);
    await screenshots(admin, '6-provider-details-refused');
    await admin.getByLabel('Telefon biura', { exact: false }).fill('+48 22 100 20 01');
    await admin.getByRole('button', { name: 'Zapisz dane dostawcy', exact: true }).click();
    await admin.waitForURL(`${harness.baseUrl}/demo/admin/provider-details`);
    expect(await admin.getByText('Dane dostawcy zostały zapisane.', { exact: true }).isVisible()).toBe(true);
    await menu(admin).getByRole('link', { name: 'Administracja', exact: true }).click();
    await screenshots(admin, '7-admin-dashboard');

    // 7. Anna sees the new phone number of the office.
    await anna.reload();
    expect(await section(anna, 'provider').getByRole('link', { name: '+48 22 100 20 01', exact: true }).isVisible()).toBe(true);
  }, journeyTimeout);
});

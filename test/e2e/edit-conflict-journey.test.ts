import { expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { makeCustomer, makeTenant, makeUser, testPassword } from '../support/factories.js';
import { describeInBrowser } from '../support/browser.js';

const journeyTimeout = 90_000;

describeInBrowser('browser journey: edit conflicts keep both people’s work, and the customer’s identifiers (issue 14)', (harness) => {
  const headingOf = async (page: Page) => (await page.getByRole('heading', { level: 1 }).textContent())?.trim();
  const flashOf = async (page: Page) => (await page.getByRole('main').getByRole('status').first().textContent())?.trim();

  async function signIn(page: Page, slug: string, login: string) {
    await page.goto(`/${slug}/login`);
    await page.getByLabel('Login', { exact: true }).fill(login);
    await page.getByLabel('Hasło', { exact: true }).fill(testPassword);
    await page.getByRole('button', { name: 'Zaloguj się', exact: true }).click();
    await page.waitForURL((url) => !url.pathname.endsWith('/login'));
  }

  /** The page as a laptop (1280 px) and a phone (390 px) show it. */
  async function screenshots(page: Page, name: string) {
    const size = page.viewportSize();
    for (const width of [1280, 390]) {
      await page.setViewportSize({ width, height: 900 });
      await harness.screenshot(page, `${name}-${width}.png`);
    }
    if (size) await page.setViewportSize(size);
  }

  it('two admins edit the same customer: the second gets the conflict page, saves it as it stands, and both changes are kept', async () => {
    const tenant = await makeTenant(harness.env.db, { name: 'Serwis Wózków sp. z o.o.', defaultLocale: 'pl' });
    const first = await makeUser(harness.env.db, tenant, 'admin', { firstName: 'Adam', lastName: 'Pierwszy' });
    const second = await makeUser(harness.env.db, tenant, 'admin', { firstName: 'Beata', lastName: 'Druga' });
    const customer = await makeCustomer(harness.env.db, tenant, { name: 'Hurtownia Łęczyca sp. z o.o.' });
    const editPath = `/${tenant.slug}/admin/customers/${customer.id}/edit`;
    const recordUrl = `${harness.baseUrl}/${tenant.slug}/staff/customers/${customer.id}`;

    // Both admins open the edit form, each in their own browser.
    const firstPage = await harness.openPage('pl-PL');
    const secondPage = await harness.openPage('pl-PL');
    await signIn(firstPage, tenant.slug, first.login);
    await signIn(secondPage, tenant.slug, second.login);
    await firstPage.goto(editPath);
    await secondPage.goto(editPath);
    expect(await headingOf(secondPage)).toBe('Edycja: Hurtownia Łęczyca sp. z o.o.');
    await screenshots(secondPage, 'edit-conflict-1-edit-form');

    // The first changes the phone and saves.
    await firstPage.getByLabel('Telefon', { exact: true }).fill('+48 24 721 00 00');
    await firstPage.getByRole('button', { name: 'Zapisz zmiany', exact: true }).click();
    await firstPage.waitForURL(recordUrl);
    expect(await flashOf(firstPage)).toBe('Zmiany zostały zapisane.');

    // The second, from the form opened before, changes the city and saves: the conflict page.
    await secondPage.getByLabel('Miejscowość', { exact: true }).fill('Łęczyca');
    await secondPage.getByRole('button', { name: 'Zapisz zmiany', exact: true }).click();
    await secondPage.waitForLoadState();
    expect(await headingOf(secondPage)).toBe('Ktoś inny zapisał w międzyczasie dane tego klienta');
    expect(await secondPage.getByTestId('outcome-phone').textContent()).toContain('zmiana innej osoby, zachowana');
    expect(await secondPage.getByTestId('outcome-city').textContent()).toContain('Twoja zmiana');
    expect(await secondPage.getByLabel('Telefon', { exact: true }).inputValue(), 'the form holds the first admin’s phone').toBe('+48 24 721 00 00');
    expect(await secondPage.getByLabel('Miejscowość', { exact: true }).inputValue(), 'and the second admin’s city').toBe('Łęczyca');
    await screenshots(secondPage, 'edit-conflict-2-conflict-page');

    // Saved as it stands: both changes are kept.
    await secondPage.getByRole('button', { name: 'Zapisz zmiany', exact: true }).click();
    await secondPage.waitForURL(recordUrl);
    expect(await flashOf(secondPage)).toBe('Zmiany zostały zapisane.');
    const stored = await harness.env.db('customers').where('id', customer.id).first();
    expect(stored).toMatchObject({ phone: '+48 24 721 00 00', city: 'Łęczyca', version: 3 });
    await screenshots(secondPage, 'edit-conflict-3-customer-record');
  }, journeyTimeout);

  it('an admin meets a field both changed and picks the stored value with one click', async () => {
    const tenant = await makeTenant(harness.env.db, { name: 'Serwis Wózków sp. z o.o.', defaultLocale: 'pl' });
    const [first, second] = [await makeUser(harness.env.db, tenant, 'admin'), await makeUser(harness.env.db, tenant, 'admin')];
    const customer = await makeCustomer(harness.env.db, tenant, { name: 'Magazyny Północ' });
    const editPath = `/${tenant.slug}/admin/customers/${customer.id}/edit`;
    const [firstPage, secondPage] = [await harness.openPage('pl-PL'), await harness.openPage('pl-PL')];
    await signIn(firstPage, tenant.slug, first.login);
    await signIn(secondPage, tenant.slug, second.login);
    await firstPage.goto(editPath);
    await secondPage.goto(editPath);
    await firstPage.getByLabel('Miejscowość', { exact: true }).fill('Gdynia');
    await firstPage.getByRole('button', { name: 'Zapisz zmiany', exact: true }).click();
    await firstPage.waitForURL(/\/staff\/customers\/\d+$/);
    await secondPage.getByLabel('Miejscowość', { exact: true }).fill('Sopot');
    await secondPage.getByLabel('E-mail', { exact: true }).fill('biuro@magazyny.example');
    await secondPage.getByRole('button', { name: 'Zapisz zmiany', exact: true }).click();
    await secondPage.waitForLoadState();
    const clash = secondPage.getByTestId('clash-city');
    expect(await clash.getByLabel('Zachowaj moją wartość: Sopot', { exact: true }).isChecked()).toBe(true);
    await screenshots(secondPage, 'edit-conflict-4-clash');
    await clash.getByLabel('Przyjmij zapisaną: Gdynia', { exact: true }).check();
    await secondPage.getByRole('button', { name: 'Zapisz zmiany', exact: true }).click();
    await secondPage.waitForURL(/\/staff\/customers\/\d+$/);
    expect(await harness.env.db('customers').where('id', customer.id).first()).toMatchObject({ city: 'Gdynia', email: 'biuro@magazyny.example' });
  }, journeyTimeout);

  it('an admin registers a branch sharing a NIP after confirming it, gives it a number and an account, then deactivates a customer after the confirmation page', async () => {
    const tenant = await makeTenant(harness.env.db, { name: 'Serwis Wózków sp. z o.o.', defaultLocale: 'pl' });
    const admin = await makeUser(harness.env.db, tenant, 'admin');
    const head = await makeCustomer(harness.env.db, tenant, { name: 'Centrala sp. z o.o.' });
    await harness.env.db('customers').where('id', head.id).update({ tax_id: '5260250274', customer_number: 'K-001' });
    await makeUser(harness.env.db, tenant, 'client', { customer: head });
    const page = await harness.openPage('pl-PL');
    await signIn(page, tenant.slug, admin.login);

    await page.goto(`/${tenant.slug}/admin/customers/new`);
    await page.getByLabel('Nazwa', { exact: true }).fill('Centrala – oddział Gdańsk');
    await page.getByLabel('Numer klienta (system księgowy)', { exact: true }).fill('K-002');
    await page.getByLabel('NIP / numer podatkowy', { exact: true }).fill('526-025-02-74');
    await page.getByLabel('Rachunek bankowy', { exact: true }).fill('61 1090 1014 0000 0712 1981 2874');
    await page.getByLabel('Miejscowość', { exact: true }).fill('Gdańsk');
    await page.getByLabel('E-mail', { exact: true }).fill('gdansk@centrala.example');
    await page.getByLabel('Imię osoby kontaktowej', { exact: true }).fill('Łukasz');
    await page.getByLabel('Nazwisko osoby kontaktowej', { exact: true }).fill('Żak');
    await page.getByRole('button', { name: 'Zarejestruj klienta', exact: true }).click();
    await page.waitForLoadState();
    expect(await page.getByTestId('shared-tax-id').getByRole('link').textContent()).toBe('Centrala sp. z o.o.');
    await screenshots(page, 'customer-identifiers-1-shared-nip');
    await page.getByLabel('Tak, ten klient ma wspólny identyfikator podatkowy z innym (np. jest oddziałem)', { exact: true }).check();
    await page.getByRole('button', { name: 'Zarejestruj klienta', exact: true }).click();
    await page.waitForURL(/\/staff\/customers\/\d+$/);
    expect((await page.getByTestId('customer-number').textContent())?.trim()).toBe('K-002');
    expect((await page.getByTestId('customer-bank-account').textContent())?.trim()).toBe('61 1090 1014 0000 0712 1981 2874');
    const account = await harness.env.db('users').where({ tenant_id: tenant.id, email: 'gdansk@centrala.example' }).first();
    expect(account.login, 'the login comes from the contact person’s name').toBe('lukasz.zak');
    await screenshots(page, 'customer-identifiers-2-record');

    await page.goto(`/${tenant.slug}/staff/customers?q=K-00`);
    await screenshots(page, 'customer-identifiers-3-list');

    await page.goto(`/${tenant.slug}/staff/customers/${head.id}`);
    await page.getByRole('link', { name: 'Dezaktywuj klienta', exact: true }).click();
    await page.waitForURL(`${harness.baseUrl}/${tenant.slug}/admin/customers/${head.id}/deactivation/new`);
    expect(await headingOf(page)).toBe('Dezaktywować klienta Centrala sp. z o.o.?');
    expect((await page.getByTestId('affected-accounts').textContent())?.trim()).toBe('Jego jedyne aktywne konto w portalu straci możliwość logowania.');
    await screenshots(page, 'customer-identifiers-4-deactivation');
    await page.getByRole('button', { name: 'Dezaktywuj klienta', exact: true }).click();
    await page.waitForURL(`${harness.baseUrl}/${tenant.slug}/staff/customers/${head.id}`);
    expect(await flashOf(page)).toBe('Klient został dezaktywowany.');
  }, journeyTimeout);

  it('a Slovak client asks to change the company’s tax id', async () => {
    const tenant = await makeTenant(harness.env.db, { name: 'Serwis Wózków sp. z o.o.', defaultLocale: 'pl' });
    const customer = await makeCustomer(harness.env.db, tenant, { name: 'Tatra Servis s.r.o.' });
    await harness.env.db('customers').where('id', customer.id).update({ tax_country: 'SK', tax_id: '2020123456', country: 'SK' });
    const client = await makeUser(harness.env.db, tenant, 'client', { customer });
    const page = await harness.openPage('pl-PL');
    await signIn(page, tenant.slug, client.login);
    await page.goto(`/${tenant.slug}/portal/company/change-requests/new`);
    expect(await page.getByLabel('Kraj identyfikatora podatkowego', { exact: true }).inputValue()).toBe('SK');
    await page.getByLabel('NIP / numer podatkowy', { exact: true }).fill('SK2021234567');
    await screenshots(page, 'change-request-tax-country');
    await page.getByRole('button', { name: 'Wyślij wniosek', exact: true }).click();
    await page.waitForURL(`${harness.baseUrl}/${tenant.slug}/portal/company`);
    const [request] = await harness.env.db('customer_change_requests').where('customer_id', customer.id);
    expect(JSON.parse(request.changes)).toEqual({ taxId: 'SK2021234567' });
  }, journeyTimeout);
});

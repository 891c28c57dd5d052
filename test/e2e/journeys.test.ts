import { expect, it } from 'vitest';
import { makeCustomer, makeTenant, makeUser, testPassword } from '../support/factories.js';
import type { Page } from 'playwright-core';
import { describeInBrowser } from '../support/browser.js';

const signedOutMessage: Record<string, string> = { pl: 'Wylogowano. Do zobaczenia!', en: 'You have signed out. See you soon!' };

describeInBrowser('browser journeys', (harness) => {
  /** A tenant of its own with a customer, the customer's caretaker and a client of that customer. */
  async function makeJourneyTenant() {
    const tenant = await makeTenant(harness.env.db, { name: 'Wodociągi Złotów sp. z o.o.', defaultLocale: 'pl' });
    const caretaker = await makeUser(harness.env.db, tenant, 'caretaker', { firstName: 'Celina', lastName: 'Żurawska' });
    const customer = await makeCustomer(harness.env.db, tenant, { name: 'Alfa sp. z o.o.', caretaker });
    const client = await makeUser(harness.env.db, tenant, 'client', { customer, firstName: 'Anna', lastName: 'Kowalska' });
    return { tenant, customer, caretaker, client };
  }

  const textOf = async (page: Page, testId: string) => (await page.getByTestId(testId).textContent())?.trim();
  const languageOf = (page: Page) => page.locator('html').getAttribute('lang');

  async function signIn(page: Page, slug: string, login: string, password: string, labels = { login: 'Login', password: 'Hasło', submit: 'Zaloguj się' }) {
    await page.goto(`/${slug}/login`);
    await page.getByLabel(labels.login, { exact: true }).fill(login);
    await page.getByLabel(labels.password, { exact: true }).fill(password);
    await page.getByRole('button', { name: labels.submit, exact: true }).click();
  }

  async function switchToEnglish(page: Page) {
    const url = page.url();
    await page.getByRole('button', { name: 'English', exact: true }).click();
    await page.waitForFunction(() => document.documentElement.lang === 'en');
    expect(page.url(), 'the language switch returns to the same page').toBe(url);
    expect(await page.getByRole('button', { name: 'English', exact: true }).getAttribute('aria-pressed')).toBe('true');
  }

  async function signOut(page: Page, slug: string, buttonName: string) {
    const languageBefore = (await languageOf(page)) ?? '';
    await page.getByRole('button', { name: buttonName, exact: true }).click();
    await page.waitForURL(`${harness.baseUrl}/${slug}/login?signedOut=1&lang=${languageBefore}`);
    const language = (await languageOf(page)) ?? '';
    expect(language, 'the sign-in page after sign-out keeps the language the user was reading in').toBe(languageBefore);
    expect(await page.getByRole('status').textContent()).toContain(signedOutMessage[language]);
    expect(await page.getByLabel('Login', { exact: true }).isVisible()).toBe(true);
  }

  it('offers the skip link as the first stop of the keyboard, leading to the main content', async () => {
    const { tenant } = await makeJourneyTenant();
    const page = await harness.openPage('pl-PL');
    await page.goto(`/${tenant.slug}/login`);
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent?.trim())).toBe('Przejdź do treści');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('href'))).toBe('#main');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.activeElement?.id === 'main');
  });

  it('lets a client sign in, see their dashboard, switch to English, enlarge the text and sign out', async () => {
    const { tenant, customer, client } = await makeJourneyTenant();
    const page = await harness.openPage('pl-PL');
    await signIn(page, tenant.slug, client.login, testPassword);
    await page.waitForURL(`${harness.baseUrl}/${tenant.slug}/portal`);

    expect(await languageOf(page)).toBe('pl');
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toContain('Witaj, Anna');
    expect(await textOf(page, 'user-name')).toBe('Anna Kowalska');
    expect(await page.getByTestId('user-role').count(), 'clients are not shown a role').toBe(0);
    expect(await textOf(page, 'user-customer')).toBe(customer.name);
    expect(await textOf(page, 'user-tenant')).toBe('Wodociągi Złotów sp. z o.o.');
    await harness.screenshot(page, 'client-dashboard-pl.png');

    await switchToEnglish(page);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toContain('Welcome, Anna');
    expect(await page.getByTestId('section-care').getByRole('heading', { level: 2 }).textContent()).toBe('Who looks after you');
    expect(await page.getByRole('button', { name: 'Sign out', exact: true }).isVisible()).toBe(true);
    await harness.screenshot(page, 'client-dashboard-en.png');

    await page.getByRole('button', { name: 'larger', exact: true }).click();
    await page.waitForFunction(() => document.documentElement.classList.contains('text-larger'));
    // The new page's stylesheet may still be on its way when the class is already there: wait until it applies.
    await page.waitForLoadState('load');
    expect(await page.evaluate(() => getComputedStyle(document.documentElement).fontSize)).toBe('20px');
    await page.reload();
    expect(await page.locator('html').getAttribute('class')).toContain('text-larger');
    expect(await page.getByRole('button', { name: 'larger', exact: true }).getAttribute('aria-pressed')).toBe('true');
    expect(await languageOf(page), 'the language choice is kept after a reload').toBe('en');
    await harness.screenshot(page, 'client-dashboard-larger.png');

    await signOut(page, tenant.slug, 'Sign out');
    await page.goto(`/${tenant.slug}/portal`);
    await page.waitForURL((url) => url.pathname === `/${tenant.slug}/login`);
  });

  it('lets a caretaker sign in, see the staff panel in the tenant’s language, switch to English and sign out', async () => {
    const { tenant, caretaker } = await makeJourneyTenant();
    // A browser in a language the portal does not offer gets the tenant's default, Polish.
    const page = await harness.openPage('de-DE');
    await signIn(page, tenant.slug, caretaker.login, testPassword);
    await page.waitForURL(`${harness.baseUrl}/${tenant.slug}/staff`);

    expect(await languageOf(page)).toBe('pl');
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toContain('Panel pracownika');
    expect(await textOf(page, 'user-name')).toBe('Celina Żurawska');
    expect(await textOf(page, 'user-role')).toBe('opiekun');
    expect(await textOf(page, 'user-tenant')).toBe('Wodociągi Złotów sp. z o.o.');
    expect(await page.getByTestId('user-customer').count(), 'staff have no customer of their own').toBe(0);
    await harness.screenshot(page, 'caretaker-dashboard.png');

    await switchToEnglish(page);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toContain('Staff panel');
    expect(await textOf(page, 'user-role')).toBe('caretaker');
    await harness.screenshot(page, 'caretaker-dashboard-en.png');

    await signOut(page, tenant.slug, 'Sign out');
  });

  it('shows the generic refusal on the page after a wrong password and keeps the login typed', async () => {
    const { tenant, client } = await makeJourneyTenant();
    const page = await harness.openPage('pl-PL');
    await signIn(page, tenant.slug, client.login, 'not the password');

    await page.getByRole('alert').waitFor();
    expect(new URL(page.url()).pathname).toBe(`/${tenant.slug}/login`);
    expect(await page.getByRole('alert').textContent()).toContain('Nieprawidłowy login lub hasło albo konto jest zablokowane.');
    expect(await page.getByLabel('Login', { exact: true }).inputValue()).toBe(client.login);
    expect(await page.getByLabel('Hasło', { exact: true }).inputValue()).toBe('');
    expect(await page.locator('.lead').textContent(), 'a company name ending in a full stop gets no second one').toBe('Wodociągi Złotów sp. z o.o. — portal klienta');
    await harness.screenshot(page, 'sign-in-error.png');
  });
});

import { expect, it } from 'vitest';
import { makeTenant, makeUser, testPassword } from '../support/factories.js';
import type { Page } from 'playwright-core';
import { describeInBrowser } from '../support/browser.js';

const journeyTimeout = 60_000;

describeInBrowser('browser journey: the customer layer (issue 4)', (harness) => {
  const textOf = async (page: Page, testId: string) => (await page.getByTestId(testId).textContent())?.trim();
  const headingOf = async (page: Page) => (await page.getByRole('heading', { level: 1 }).textContent())?.trim();
  const flashOf = async (page: Page) => (await page.getByRole('main').getByRole('status').first().textContent())?.trim();
  const menu = (page: Page) => page.getByRole('navigation', { name: 'Menu główne', exact: true });

  async function signIn(page: Page, slug: string, login: string, password: string) {
    await page.goto(`/${slug}/login`);
    await page.getByLabel('Login', { exact: true }).fill(login);
    await page.getByLabel('Hasło', { exact: true }).fill(password);
    await page.getByRole('button', { name: 'Zaloguj się', exact: true }).click();
  }

  /** Follows an entry of the main menu and waits for its page. */
  async function openFromMenu(page: Page, slug: string, label: string, suffix: string) {
    await menu(page).getByRole('link', { name: label, exact: true }).click();
    await page.waitForURL(`${harness.baseUrl}/${slug}/${suffix}`);
    expect(await menu(page).getByRole('link', { name: label, exact: true }).getAttribute('aria-current'), `the menu marks ${label} as the current page`).toBe('page');
  }

  it('admin registers a customer with a caretaker, the caretaker invites a client, the client accepts the invitation, the admin moves the client to a new group', async () => {
    const tenant = await makeTenant(harness.env.db, { name: 'Usługi Komunalne Piła sp. z o.o.', defaultLocale: 'pl' });
    const admin = await makeUser(harness.env.db, tenant, 'admin', { firstName: 'Adam', lastName: 'Wiśniewski' });
    const caretaker = await makeUser(harness.env.db, tenant, 'caretaker', { firstName: 'Celina', lastName: 'Żurawska' });
    const slug = tenant.slug;
    const customerName = 'Wodociągi Złotów sp. z o.o.';
    const client = { login: 'zofia.nowicka', firstName: 'Zofia', lastName: 'Nowicka', email: 'zofia.nowicka@wodociagi-zlotow.example' };
    const clientPassword = 'kryształowa woda 2024';
    const groupName = 'Odbiorcy hurtowi';

    // 1. The admin signs in, goes through the menu to Customers and registers the customer with its caretaker.
    const adminPage = await harness.openPage('pl-PL');
    /** Groups are under Accounts in the menu: the accounts panel links to them. */
    const openGroups = async () => {
      await openFromMenu(adminPage, slug, 'Konta', 'admin/accounts');
      await adminPage.getByTestId('groups-link').click();
      await adminPage.waitForURL(`${harness.baseUrl}/${slug}/admin/groups`);
      expect(await menu(adminPage).getByRole('link', { name: 'Konta', exact: true }).getAttribute('aria-current')).toBe('page');
    };
    await signIn(adminPage, slug, admin.login, testPassword);
    await adminPage.waitForURL(`${harness.baseUrl}/${slug}/staff`);
    await openFromMenu(adminPage, slug, 'Klienci', 'staff/customers');
    expect(await headingOf(adminPage)).toBe('Klienci');
    await adminPage.getByRole('link', { name: 'Nowy klient', exact: true }).click();
    await adminPage.waitForURL(`${harness.baseUrl}/${slug}/admin/customers/new`);
    expect(await headingOf(adminPage)).toBe('Nowy klient');

    await adminPage.getByLabel('Nazwa', { exact: true }).fill(customerName);
    expect(await adminPage.getByLabel('Kraj numeru podatkowego', { exact: true }).inputValue(), 'a new customer is Polish by default').toBe('PL');
    await adminPage.getByLabel('NIP / numer podatkowy', { exact: true }).fill('5260250274');
    await adminPage.getByLabel('Ulica i numer', { exact: true }).fill('ul. Wodna 12');
    await adminPage.getByLabel('Kod pocztowy', { exact: true }).fill('77-400');
    await adminPage.getByLabel('Miejscowość', { exact: true }).fill('Złotów');
    await adminPage.getByLabel('E-mail', { exact: true }).fill('biuro@wodociagi-zlotow.example');
    await adminPage.getByLabel('Telefon', { exact: true }).fill('+48 67 263 00 00');
    await adminPage.getByLabel('Opiekun', { exact: true }).selectOption({ label: 'Celina Żurawska' });
    // The tenant makes the first account automatically by default; here the caretaker does the inviting.
    const firstAccount = adminPage.getByLabel('Utwórz konto w portalu i wyślij zaproszenie', { exact: true });
    if ((await firstAccount.count()) > 0) await firstAccount.uncheck();
    await adminPage.getByRole('button', { name: 'Zarejestruj klienta', exact: true }).click();

    await adminPage.waitForURL(new RegExp(`^${harness.baseUrl}/${slug}/staff/customers/\\d+$`));
    const customerPath = new URL(adminPage.url()).pathname;
    expect(await flashOf(adminPage)).toBe('Klient został zarejestrowany.');
    expect(await headingOf(adminPage)).toBe(customerName);
    expect(await textOf(adminPage, 'customer-tax-id')).toBe('526-025-02-74');
    expect(await textOf(adminPage, 'customer-caretaker')).toBe('Celina Żurawska');
    expect(await adminPage.getByRole('main').locator('address').textContent()).toMatch(/ul\. Wodna 12\s+77-400 Złotów/);
    await harness.screenshot(adminPage, 'customer-layer-1-admin-customer-record.png');

    // 2. The caretaker signs in, finds the new customer among theirs, opens its Accounts tab and invites a client.
    const caretakerPage = await harness.openPage('pl-PL');
    await signIn(caretakerPage, slug, caretaker.login, testPassword);
    await caretakerPage.waitForURL(`${harness.baseUrl}/${slug}/staff`);
    await openFromMenu(caretakerPage, slug, 'Klienci', 'staff/customers');
    expect(await caretakerPage.getByRole('link', { name: 'Nowy klient', exact: true }).count(), 'a caretaker does not register customers').toBe(0);
    expect(await textOf(caretakerPage, 'customer-count')).toBe('Liczba znalezionych klientów: 1');
    await caretakerPage.getByRole('link', { name: customerName, exact: true }).click();
    await caretakerPage.waitForURL(`${harness.baseUrl}${customerPath}`);
    expect(await headingOf(caretakerPage)).toBe(customerName);
    const tabs = caretakerPage.getByRole('navigation', { name: `Kartoteka klienta ${customerName}`, exact: true });
    await tabs.getByRole('link', { name: 'Konta', exact: true }).click();
    await caretakerPage.waitForURL(`${harness.baseUrl}${customerPath}/accounts`);
    expect(await tabs.getByRole('link', { name: 'Konta', exact: true }).getAttribute('aria-current')).toBe('page');
    expect(await caretakerPage.getByRole('heading', { name: 'Konta klienta', exact: true }).isVisible()).toBe(true);
    expect(await caretakerPage.getByText('Ten klient nie ma jeszcze kont w portalu. Utwórz pierwsze poniżej.').isVisible()).toBe(true);

    await caretakerPage.getByLabel('Login', { exact: true }).fill(client.login);
    await caretakerPage.getByLabel('Imię', { exact: true }).fill(client.firstName);
    await caretakerPage.getByLabel('Nazwisko', { exact: true }).fill(client.lastName);
    await caretakerPage.getByLabel('E-mail', { exact: true }).fill(client.email);
    await caretakerPage.getByLabel('Główny kontakt: widzi i śledzi wszystkie zgłoszenia klienta', { exact: true }).check();
    await caretakerPage.getByLabel('Wyślij zaproszenie e-mailem: hasło zostanie ustawione przez link z wiadomości', { exact: true }).check();
    await caretakerPage.getByRole('button', { name: 'Utwórz konto', exact: true }).click();

    await caretakerPage.waitForURL(`${harness.baseUrl}${customerPath}/accounts`);
    expect(await flashOf(caretakerPage)).toBe('Konto zostało utworzone, a zaproszenie wysłane.');
    const invitedRow = caretakerPage.getByTestId('client-accounts').locator(`tr[data-login="${client.login}"]`);
    expect(await invitedRow.getByRole('rowheader').textContent()).toBe('Zofia Nowicka');
    expect(await invitedRow.locator('td').nth(1).textContent()).toBe(client.email);
    expect(await invitedRow.locator('td').nth(3).textContent()).toBe('główny kontakt');
    expect(await invitedRow.getByTestId('account-state').textContent()).toBe('zaproszenie wysłane');
    expect(await invitedRow.getByRole('button', { name: 'Wyślij ponownie zaproszenie dla: Zofia Nowicka', exact: true }).isVisible()).toBe(true);
    await harness.screenshot(caretakerPage, 'customer-layer-2-caretaker-accounts-tab.png');

    // 3. The outbox worker sends the invitation; the admin reads it in the development mailbox and takes its link.
    expect(await harness.env.deliverMail(), 'the invitation was queued in the outbox').toBeGreaterThanOrEqual(1);
    const sent = harness.env.mailer.sent.filter((mail) => mail.to === client.email);
    expect(sent, 'exactly one e-mail to the invited client').toHaveLength(1);
    expect(sent[0]!.subject).toBe('Usługi Komunalne Piła sp. z o.o.: zaproszenie do portalu klienta');
    expect(sent[0]!.text).toContain('Dzień dobry Zofia,');
    expect(sent[0]!.text).toContain(`(firma: ${customerName})`);
    expect(sent[0]!.text).toContain(`Login: ${client.login}\n`);

    // The development mailbox is listed on the Administration page (it has no entry in the menu).
    await openFromMenu(adminPage, slug, 'Administracja', 'admin');
    await adminPage.getByRole('main').getByRole('link', { name: 'Skrzynka deweloperska', exact: true }).click();
    await adminPage.waitForURL(`${harness.baseUrl}/${slug}/admin/mailbox`);
    expect(await headingOf(adminPage)).toBe('Skrzynka deweloperska');
    const invitationMail = adminPage.locator('article.mail').filter({ hasText: client.email });
    expect(await invitationMail.count(), 'the mailbox shows the invitation once').toBe(1);
    expect(await invitationMail.getByRole('heading', { level: 2 }).textContent()).toBe(sent[0]!.subject);
    expect(await invitationMail.locator('[data-testid$="-status"]').textContent()).toBe('zapisana w dzienniku (nie wysłano)');
    const href = await invitationMail.getByRole('link').getAttribute('href');
    expect(href, 'the e-mail carries a link').toBeTruthy();
    expect(sent[0]!.text, 'the mailbox shows the e-mail as it was sent').toContain(href!);
    const invitationUrl = new URL(href!);
    expect(invitationUrl.origin, 'the link is built on BASE_URL').toBe(new URL(harness.env.config.baseUrl).origin);
    expect(invitationUrl.pathname).toMatch(new RegExp(`^/${slug}/invitations/[^/]+$`));
    await harness.screenshot(adminPage, 'customer-layer-3-admin-mailbox.png');

    // 4. The client opens the link (the path on this server, BASE_URL being another host), sets a password and lands on the portal.
    const clientPage = await harness.openPage('pl-PL');
    await clientPage.goto(invitationUrl.pathname);
    expect(await headingOf(clientPage)).toBe('Witamy w portalu klienta');
    expect(await textOf(clientPage, 'invited-name')).toBe('Zofia Nowicka');
    expect(await textOf(clientPage, 'invited-login')).toBe(client.login);
    expect(await textOf(clientPage, 'invited-customer')).toBe(customerName);
    await harness.screenshot(clientPage, 'customer-layer-4a-client-invitation.png');
    await clientPage.getByLabel('Nowe hasło', { exact: true }).fill(clientPassword);
    await clientPage.getByLabel('Powtórz nowe hasło', { exact: true }).fill(clientPassword);
    await clientPage.getByRole('button', { name: 'Zapisz hasło i zaloguj się', exact: true }).click();

    await clientPage.waitForURL(`${harness.baseUrl}/${slug}/portal`);
    expect(await headingOf(clientPage)).toBe('Witaj, Zofia');
    expect(await textOf(clientPage, 'user-name')).toBe('Zofia Nowicka');
    expect(await clientPage.getByTestId('user-role').count(), 'clients are not shown a role').toBe(0);
    expect(await textOf(clientPage, 'user-customer')).toBe(customerName);
    expect(await textOf(clientPage, 'user-tenant')).toBe('Usługi Komunalne Piła sp. z o.o.');
    await harness.screenshot(clientPage, 'customer-layer-4b-client-dashboard.png');

    // The link is single use: opening it again gets the clear page, not the form.
    const reuse = await clientPage.goto(invitationUrl.pathname);
    expect(reuse?.status()).toBe(410);
    expect(await clientPage.getByText('Link został już użyty. Każdy link działa tylko raz.').isVisible()).toBe(true);

    // The caretaker sees the invitation accepted.
    await caretakerPage.reload();
    expect(await invitedRow.getByTestId('account-state').textContent()).toBe('aktywne');

    // 5. The admin creates a group and moves the client into it from the accounts panel (groups are reached from it).
    await openGroups();
    expect(await headingOf(adminPage)).toBe('Grupy klientów');
    const groupRow = (name: string) => adminPage.getByRole('main').getByRole('row').filter({ has: adminPage.getByRole('rowheader').filter({ hasText: name }) });
    expect(await groupRow('CLIENTS').getByTestId('member-count').textContent()).toBe('1 konto');
    await adminPage.getByLabel('Nazwa grupy', { exact: true }).fill(groupName);
    await adminPage.getByRole('button', { name: 'Utwórz grupę', exact: true }).click();
    await adminPage.waitForURL(`${harness.baseUrl}/${slug}/admin/groups`);
    expect(await flashOf(adminPage)).toBe('Grupa została utworzona.');
    expect(await groupRow(groupName).getByTestId('member-count').textContent()).toBe('0 kont');

    await openFromMenu(adminPage, slug, 'Konta', 'admin/accounts');
    expect(await headingOf(adminPage)).toBe('Konta pracowników i klientów');
    const clientRow = adminPage.getByRole('main').getByRole('row').filter({ has: adminPage.getByRole('cell', { name: client.login, exact: true }) });
    expect(await clientRow.locator('td').nth(4).textContent(), 'a new client account is in CLIENTS').toBe('CLIENTS');
    await adminPage.getByLabel('Zaznacz: Zofia Nowicka', { exact: true }).check();
    const move = adminPage.getByRole('group', { name: 'Przenieś zaznaczone konta klientów', exact: true });
    await move.getByLabel('Grupa', { exact: true }).selectOption({ label: groupName });
    await move.getByRole('button', { name: 'Przenieś do grupy', exact: true }).click();

    // Back to the page of the panel the move was sent from (returnTo: the list with its sort and page).
    await adminPage.waitForURL((url) => url.pathname === `/${slug}/admin/accounts` && url.search !== '');
    expect(await adminPage.getByRole('main').locator('.notice').textContent()).toBe('Konta zostały przeniesione do grupy.');
    expect(await clientRow.getByRole('rowheader').textContent()).toBe('Nowicka Zofia');
    expect(await clientRow.locator('td').nth(3).textContent()).toBe(customerName);
    expect(await clientRow.locator('td').nth(4).textContent(), 'the client is now in the new group').toBe(groupName);
    expect(await clientRow.locator('td').nth(5).textContent()).toBe('aktywne');
    await harness.screenshot(adminPage, 'customer-layer-5-admin-accounts-panel.png');

    // The group list counts the move too.
    await openGroups();
    expect(await groupRow(groupName).getByTestId('member-count').textContent()).toBe('1 konto');
    expect(await groupRow('CLIENTS').getByTestId('member-count').textContent()).toBe('0 kont');
  }, journeyTimeout);
});

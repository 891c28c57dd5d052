import { expect, it } from 'vitest';
import { moneyOf } from '../../src/lib/money.js';
import { enterLedgerEntry } from '../../src/models/ledger.js';
import type { TestEnvironment } from '../support/environment.js';
import { describeOnEachDatabase } from '../support/environment.js';
import { makeCustomer, makeTenant, makeUser, scopeFor } from '../support/factories.js';
import { csrfTokenFrom, fieldErrorOf, signedInAgent, type Agent } from '../support/http.js';

const page = (slug: string) => `/${slug}/admin/billing-details`;

/** The form as the page gives it (its hidden base among the fields), with some fields changed. */
async function formOf(agent: Agent, slug: string, changes: Record<string, string>): Promise<Record<string, string>> {
  const html = (await agent.get(page(slug))).text;
  const fields: Record<string, string> = {};
  for (const match of html.matchAll(/<input[^>]*\bname="([^"]+)"[^>]*>/g)) {
    const tag = match[0];
    const name = match[1]!;
    if (/type="checkbox"/.test(tag) && !/\bchecked\b/.test(tag)) continue;
    fields[name] = decodeEntities(/\bvalue="([^"]*)"/.exec(tag)?.[1] ?? '');
  }
  for (const match of html.matchAll(/<select[^>]*\bname="([^"]+)"[^>]*>([\s\S]*?)<\/select>/g)) fields[match[1]!] = /<option value="([^"]*)" selected>/.exec(match[2]!)?.[1] ?? '';
  return { ...fields, ...changes };
}

const decodeEntities = (text: string) => text.replace(/&#34;/g, '"').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

const good = {
  legalName: 'Żółta Firma sp. z o.o.',
  street: 'ul. Piękna 7',
  postalCode: '00-950',
  city: 'Warszawa',
  taxCountry: 'PL',
  taxId: '526-025-02-74',
  bankAccount: 'PL61 1090 1014 0000 0712 1981 2874',
  currency: 'PLN',
  paymentTermDays: '21',
};

async function billingDesk(env: TestEnvironment) {
  const tenant = await makeTenant(env.db);
  const admin = await makeUser(env.db, tenant, 'admin');
  const agent = await signedInAgent(env.app, tenant, admin.login);
  const save = async (changes: Record<string, string>, as: Agent = agent) => as.post(page(tenant.slug)).type('form').send(await formOf(as, tenant.slug, changes));
  const stored = () => env.db('tenants').where('id', tenant.id).first();
  return { tenant, admin, agent, save, stored };
}

describeOnEachDatabase('billing details (D7)', (env) => {
  it('saves the legal data, NIP and account as stored forms and audits the fields that changed, not their values', async () => {
    const { tenant, agent, save, stored } = await billingDesk(env);
    const response = await save(good);
    expect(response.status).toBe(303);
    expect(response.headers.location).toBe(page(tenant.slug));
    expect(await stored()).toMatchObject({ legal_name: good.legalName, legal_street: 'ul. Piękna 7', legal_postal_code: '00-950', legal_city: 'Warszawa', tax_country: 'PL', tax_id: '5260250274', bank_account: '61109010140000071219812874', currency: 'PLN', payment_term_days: 21 });
    const [entry] = await env.db('audit_log').where({ tenant_id: tenant.id, action: 'tenant.billing_details_changed' });
    expect(JSON.parse(entry.details).fields.sort()).toEqual(['bankAccount', 'city', 'legalName', 'paymentTermDays', 'postalCode', 'street', 'taxId']);
    expect(entry.details).not.toContain('5260250274');
    expect(entry.details).not.toContain('1090');
    // The superadmin's audit log names the fields in words.
    const log = await (await signedInAgent(env.app, tenant, tenant.superadmin.login)).get(`/${tenant.slug}/admin/audit-log`);
    expect(log.text).toContain('Zmieniono dane do rozliczeń');
    expect(log.text).toContain('Numer rachunku bankowego');
    // The page shows them as people read them.
    const shown = await agent.get(page(tenant.slug));
    expect(shown.text).toContain('value="526-025-02-74"');
    expect(shown.text).toContain('value="61 1090 1014 0000 0712 1981 2874"');
    // Saving the same again changes nothing and logs nothing.
    expect((await save({})).status).toBe(303);
    expect(await env.db('audit_log').where({ tenant_id: tenant.id, action: 'tenant.billing_details_changed' })).toHaveLength(1);
  });

  it('is linked from the Administration page', async () => {
    const { tenant, agent } = await billingDesk(env);
    expect((await agent.get(`/${tenant.slug}/admin`)).text).toContain(`href="${page(tenant.slug)}"`);
  });

  it('refuses an account whose checksum fails with 422, in the user’s language, keeping what was typed', async () => {
    const { tenant, agent, save, stored } = await billingDesk(env);
    const polish = await save({ ...good, bankAccount: '61 1090 1014 0000 0712 1981 2875' });
    expect(polish.status).toBe(422);
    expect(fieldErrorOf(polish.text, 'bankAccount')).toBe('To nie jest poprawny numer rachunku: suma kontrolna się nie zgadza. Sprawdź cyfry.');
    expect(polish.text).toContain('value="61 1090 1014 0000 0712 1981 2875"');
    expect(polish.text).toContain(`value="${good.legalName}"`);
    const english = await agent.post(page(tenant.slug)).set('Accept-Language', 'en').type('form').send(await formOf(agent, tenant.slug, { ...good, bankAccount: 'SK31 1200 0000 1987 4263 7542' }));
    expect(english.status).toBe(422);
    expect(fieldErrorOf(english.text, 'bankAccount')).toBe('This is not a valid account number: its checksum does not match. Check the digits.');
    expect((await stored()).bank_account).toBeNull();
    expect((await stored()).legal_name).toBeNull();
  });

  it('checks a Polish NIP by its check digit and takes another country’s tax id in its own form', async () => {
    const { save, stored } = await billingDesk(env);
    const refused = await save({ ...good, taxId: '526-025-02-75' });
    expect(refused.status).toBe(422);
    expect(fieldErrorOf(refused.text, 'taxId')).toBe('To nie jest poprawny NIP: sprawdź cyfry (cyfra kontrolna się nie zgadza).');
    expect((await stored()).tax_id).toBeNull();
    expect((await save({ ...good, taxCountry: 'SK', taxId: 'SK 2020 123 456', bankAccount: 'SK31 1200 0000 1987 4263 7541' })).status).toBe(303);
    expect(await stored()).toMatchObject({ tax_country: 'SK', tax_id: 'SK2020123456', bank_account: 'SK3112000000198742637541' });
  });

  it('lets the currency change while nothing is kept in it, and refuses it with 422 once the ledger has an entry', async () => {
    const { tenant, agent, save, stored } = await billingDesk(env);
    expect((await agent.get(page(tenant.slug))).text).toContain('data-testid="billing-currency"');
    expect((await save({ currency: 'EUR' })).status).toBe(303);
    expect((await stored()).currency).toBe('EUR');
    const customer = await makeCustomer(env.db, tenant);
    await enterLedgerEntry(scopeFor(env.db, tenant), { kind: 'invoice', customerId: customer.id, amount: moneyOf(10_000, 'EUR'), documentNumber: '2026001', issueDate: '2026-11-01', dueDate: '2026-11-15' });
    const locked = await agent.get(page(tenant.slug));
    expect(locked.text).toContain('data-testid="currency-locked"');
    expect(locked.text).toContain('Waluty nie można już zmienić');
    // A form sent anyway (opened before the entry, or forged) is refused by the model.
    const refused = await agent.post(page(tenant.slug)).type('form').send({ ...(await formOf(agent, tenant.slug, {})), currency: 'PLN' });
    expect(refused.status).toBe(422);
    expect(fieldErrorOf(refused.text, 'currency')).toBe('Waluty nie można zmienić: w obecnej walucie są już zapisane kwoty rozliczeń lub wycen zgłoszeń.');
    expect((await stored()).currency).toBe('EUR');
  });

  it('needs a bank prefix and złoty for virtual accounts', async () => {
    const { save, stored } = await billingDesk(env);
    const noPrefix = await save({ ...good, hasVirtualAccounts: 'on' });
    expect(noPrefix.status).toBe(422);
    expect(fieldErrorOf(noPrefix.text, 'virtualAccountPrefix')).toBe('Podaj prefiks rachunków wirtualnych otrzymany z banku.');
    const inEuro = await save({ ...good, currency: 'EUR', hasVirtualAccounts: 'on', virtualAccountPrefix: '10901014' });
    expect(inEuro.status).toBe(422);
    expect(fieldErrorOf(inEuro.text, 'hasVirtualAccounts')).toBe('Rachunki wirtualne (NRB) działają tylko przy rozliczeniach w złotych.');
    expect((await save({ ...good, hasVirtualAccounts: 'on', virtualAccountPrefix: '1090 1014' })).status).toBe(303);
    expect(await stored()).toMatchObject({ virtual_account_prefix: '10901014' });
    expect(Boolean((await stored()).has_virtual_accounts)).toBe(true);
  });

  it('keeps both admins’ changes when they save different fields of forms opened at the same time', async () => {
    const { tenant, agent, stored } = await billingDesk(env);
    const second = await signedInAgent(env.app, tenant, (await makeUser(env.db, tenant, 'admin')).login);
    const first = await formOf(agent, tenant.slug, { legalName: 'Nazwa od pierwszej osoby' });
    const other = await formOf(second, tenant.slug, { bankAccount: good.bankAccount });
    expect((await agent.post(page(tenant.slug)).type('form').send(first)).status).toBe(303);
    expect((await second.post(page(tenant.slug)).type('form').send(other)).status).toBe(303);
    expect(await stored()).toMatchObject({ legal_name: 'Nazwa od pierwszej osoby', bank_account: '61109010140000071219812874' });
  });

  it('refuses the page to a caretaker (403) and writes nothing for one', async () => {
    const { tenant, stored } = await billingDesk(env);
    const caretaker = await signedInAgent(env.app, tenant, (await makeUser(env.db, tenant, 'caretaker')).login);
    expect((await caretaker.get(page(tenant.slug))).status).toBe(403);
    const token = await csrfTokenFrom(caretaker, `/${tenant.slug}/staff`);
    expect((await caretaker.post(page(tenant.slug)).type('form').send({ _csrf: token, ...good })).status).toBe(403);
    expect((await stored()).legal_name).toBeNull();
  });
});

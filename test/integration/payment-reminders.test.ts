import { pino } from 'pino';
import { expect, it, vi } from 'vitest';
import { jobContextOn } from '../../src/jobs/kind.js';
import { paymentReminders } from '../../src/jobs/payment-reminders.js';
import { jobKinds } from '../../src/jobs/registry.js';
import { createJobRunner } from '../../src/jobs/runner.js';
import { daysBefore } from '../../src/lib/aging.js';
import { renderMail } from '../../src/lib/mail-templates.js';
import { moneyOf } from '../../src/lib/money.js';
import { calendarDateIn } from '../../src/lib/time.js';
import { enterLedgerEntry } from '../../src/models/ledger.js';
import { saveSettings } from '../../src/models/settings.js';
import type { Job } from '../../src/models/job.js';
import type { Customer } from '../../src/models/customer.js';
import { describeOnEachDatabase, type TestEnvironment } from '../support/environment.js';
import { makeCustomer, makeTenant, makeUser, scopeFor, type TestTenant } from '../support/factories.js';
import { postForm, signedInAgent } from '../support/http.js';

const day = 24 * 60 * 60 * 1000;
const logger = pino({ level: 'silent' });

describeOnEachDatabase('reminders of overdue payments (M9)', (env) => {
  const contextOf = (environment: TestEnvironment) => jobContextOn(environment.db, { mailer: environment.mailer, i18n: environment.deps.i18n, logger, clock: environment.clock.now, forgetsLinks: false, links: environment.links });
  const runReminders = () => paymentReminders.run(contextOf(env), {}, {} as Job);
  const today = () => calendarDateIn(env.clock.now(), 'Europe/Warsaw');
  const reminders = async (tenant: TestTenant) => (await env.db('outbox').where({ tenant_id: tenant.id, template: 'payment-reminder' }).orderBy('id').select('recipient', 'recipient_user_id', 'customer_id', 'locale', 'data')).map((row) => ({ to: String(row.recipient), userId: row.recipient_user_id === null ? null : Number(row.recipient_user_id), customerId: Number(row.customer_id), locale: String(row.locale), data: JSON.parse(String(row.data)) as Record<string, string> }));

  async function owing(tenant: TestTenant, customer: Customer, amount: number, dueDaysAgo: number, number: string) {
    await enterLedgerEntry(scopeFor(env.db, tenant), { kind: 'invoice', customerId: customer.id, amount: moneyOf(amount, 'PLN'), documentNumber: number, issueDate: daysBefore(today(), 60), dueDate: daysBefore(today(), dueDaysAgo) }, { isApproved: true, source: 'import' });
  }

  /** A tenant with reminders on: a customer with a primary contact (English) and another account, one with only its own address, one not yet overdue, one whose primary contact switched reminders off. */
  async function remindingTenant() {
    const tenant = await makeTenant(env.db, { name: 'Żółta Firma' });
    await saveSettings(scopeFor(env.db, tenant), 'tenant', 0, { 'reminders.enabled': 'on', 'reminders.interval_days': '7', 'reminders.min_days_overdue': '1' });
    const alfa = await makeCustomer(env.db, tenant, { name: 'Alfa' });
    const primary = await makeUser(env.db, tenant, 'client', { customer: alfa, firstName: 'Anna', lastName: 'Nowak', locale: 'en' });
    await env.db('users').where('id', primary.id).update({ is_primary_contact: true });
    const colleague = await makeUser(env.db, tenant, 'client', { customer: alfa });
    await owing(tenant, alfa, 100_000, 10, 'FV/1/2026');
    await owing(tenant, alfa, 23_456, 40, 'FV/2/2026');
    const beta = await makeCustomer(env.db, tenant, { name: 'Beta' });
    await env.db('customers').where('id', beta.id).update({ email: 'biuro@beta.test' });
    await owing(tenant, beta, 5_000, 3, 'FV/3/2026');
    const gamma = await makeCustomer(env.db, tenant, { name: 'Gamma' });
    await env.db('customers').where('id', gamma.id).update({ email: 'biuro@gamma.test' });
    await owing(tenant, gamma, 7_000, -5, 'FV/4/2026');
    const delta = await makeCustomer(env.db, tenant, { name: 'Delta' });
    const quiet = await makeUser(env.db, tenant, 'client', { customer: delta });
    await env.db('users').where('id', quiet.id).update({ is_primary_contact: true });
    await saveSettings(scopeFor(env.db, tenant), 'account', quiet.id, { 'notifications.reminders': 'off' });
    await owing(tenant, delta, 9_000, 20, 'FV/5/2026');
    return { tenant, primary, colleague, alfa, beta };
  }

  it('sends each customer with overdue invoices one reminder, to its primary contacts or its own address, in their language', async () => {
    const { tenant, primary, alfa, beta } = await remindingTenant();
    await runReminders();
    const sent = await reminders(tenant);
    // Each names its customer, also the one to an address of no account (a purge of the customer takes it).
    expect(sent.map(({ to, userId, customerId, locale }) => ({ to, userId, customerId, locale }))).toEqual([
      { to: primary.email, userId: primary.id, customerId: alfa.id, locale: 'en' },
      { to: 'biuro@beta.test', userId: null, customerId: beta.id, locale: 'pl' },
    ]);
    const english = renderMail(env.deps.i18n, { to: sent[0]!.to, locale: 'en', template: 'payment-reminder', data: sent[0]!.data });
    expect(english.subject).toBe('Reminder of overdue payments — Alfa');
    expect(english.text).toContain('Hello Anna,');
    expect(english.text).toContain('FV/1/2026');
    expect(english.text).toContain('FV/2/2026');
    expect(english.text).toContain('Total overdue: PLN\u00a01,234.56');
    expect(english.text).toContain(`/${tenant.slug}/portal/settlements`);
    const polish = renderMail(env.deps.i18n, { to: sent[1]!.to, locale: 'pl', template: 'payment-reminder', data: sent[1]!.data });
    expect(polish.text).toContain('Razem do zapłaty po terminie: 50,00\u00a0zł');
    const audit = await env.db('audit_log').where({ tenant_id: tenant.id, action: 'payment_reminders.sent' }).select('details');
    expect(audit.map((row) => JSON.parse(String(row.details)))).toEqual([{ customers: 2, messages: 2 }]);
  });

  it('reminds a customer again only once the interval has passed, and two runs at once send once', async () => {
    const { tenant } = await remindingTenant();
    await runReminders();
    expect(await reminders(tenant)).toHaveLength(2);
    await runReminders();
    env.clock.advance(6 * day);
    await runReminders();
    // Six days on, Alfa and Beta wait for their interval; Gamma's invoice has become overdue since, and it gets its first.
    expect((await reminders(tenant)).map((mail) => mail.to).slice(2)).toEqual(['biuro@gamma.test']);
    // A day's run a little earlier in the day than the first one still finds the seven days passed.
    env.clock.advance(1 * day - 2 * 3_600_000);
    await Promise.all([runReminders(), runReminders(), runReminders()]);
    expect(await reminders(tenant)).toHaveLength(5);
    await runReminders();
    expect(await reminders(tenant)).toHaveLength(5);
    const counts = await env.db('payment_reminders').where('tenant_id', tenant.id).orderBy('customer_id').pluck('sent_count');
    expect(counts.map(Number)).toEqual([2, 2, 1]);
    env.clock.reset();
  });

  it('sends nothing for a tenant with reminders off (the default), nor once the invoice is paid', async () => {
    const off = await makeTenant(env.db);
    const customer = await makeCustomer(env.db, off, { name: 'Omega' });
    await env.db('customers').where('id', customer.id).update({ email: 'biuro@omega.test' });
    await owing(off, customer, 10_000, 30, 'FV/9/2026');
    await runReminders();
    expect(await reminders(off)).toEqual([]);
    expect(await env.db('audit_log').where({ tenant_id: off.id, action: 'payment_reminders.sent' }).count({ count: '*' }).first()).toMatchObject({ count: 0 });
    await saveSettings(scopeFor(env.db, off), 'tenant', 0, { 'reminders.enabled': 'on' });
    await enterLedgerEntry(scopeFor(env.db, off), { kind: 'payment', customerId: customer.id, amount: moneyOf(10_000, 'PLN'), paidOn: today(), method: 'transfer' }, { isApproved: true, source: 'import' });
    await runReminders();
    expect(await reminders(off)).toEqual([]);
  });

  it('skips a customer exempted on its own record, and with the tenant’s reminders off reminds only a customer switched on on its record (D5)', async () => {
    const tenant = await makeTenant(env.db);
    const scope = scopeFor(env.db, tenant);
    const exempt = await makeCustomer(env.db, tenant, { name: 'Zwolniony' });
    const usual = await makeCustomer(env.db, tenant, { name: 'Zwykły' });
    await env.db('customers').where('id', exempt.id).update({ email: 'biuro@zwolniony.test' });
    await env.db('customers').where('id', usual.id).update({ email: 'biuro@zwykly.test' });
    await owing(tenant, exempt, 10_000, 30, 'FV/10/2026');
    await owing(tenant, usual, 10_000, 30, 'FV/11/2026');
    await saveSettings(scope, 'tenant', 0, { 'reminders.enabled': 'on' });
    await saveSettings(scope, 'customer', exempt.id, { 'reminders.enabled': 'off' });
    await runReminders();
    expect((await reminders(tenant)).map((mail) => mail.to)).toEqual(['biuro@zwykly.test']);

    const other = await makeTenant(env.db);
    const otherScope = scopeFor(env.db, other);
    const chosen = await makeCustomer(env.db, other, { name: 'Wybrany' });
    const rest = await makeCustomer(env.db, other, { name: 'Reszta' });
    await env.db('customers').where('id', chosen.id).update({ email: 'biuro@wybrany.test' });
    await env.db('customers').where('id', rest.id).update({ email: 'biuro@reszta.test' });
    await owing(other, chosen, 10_000, 30, 'FV/12/2026');
    await owing(other, rest, 10_000, 30, 'FV/13/2026');
    await saveSettings(otherScope, 'customer', chosen.id, { 'reminders.enabled': 'on' });
    await runReminders();
    expect((await reminders(other)).map((mail) => mail.to)).toEqual(['biuro@wybrany.test']);
  });

  it('is a daily kind of the registry, queued once per day however many processes ask', async () => {
    expect(jobKinds['payment.reminders']).toBe(paymentReminders);
    expect(paymentReminders.everySeconds).toBe(24 * 60 * 60);
    const registry = { 'payment.reminders': paymentReminders } as never;
    const first = createJobRunner(contextOf(env), { registry });
    const second = createJobRunner(contextOf(env), { registry });
    await Promise.all([first.enqueueScheduled(), second.enqueueScheduled()]);
    const period = new Date(Math.floor(env.clock.now().getTime() / day) * day).toISOString().slice(0, 19).replace('T', ' ');
    expect(await env.db('jobs').where('unique_key', `system:payment.reminders:${period}`).count({ count: '*' }).first()).toMatchObject({ count: 1 });
    await first.runDue();
    // Other test files share this database and its system jobs of the day: a runner of theirs may hold this one a moment.
    await vi.waitFor(async () => expect(await env.db('jobs').where('unique_key', `system:payment.reminders:${period}`).first('status')).toMatchObject({ status: 'done' }), { timeout: 10_000, interval: 100 });
  });

  it('lets an admin switch reminders on with their interval on the settings page, and a client switch their own off', async () => {
    const tenant = await makeTenant(env.db);
    const admin = await signedInAgent(env.app, tenant, tenant.superadmin.login);
    const settingsPage = `/${tenant.slug}/admin/settings`;
    const shown = await admin.get(settingsPage);
    expect(shown.text).toContain('data-testid="in-force-remindersEnabled">Obowiązuje: nie wysyłaj przypomnień (wartość domyślna)<');
    const saved = await postForm(admin, settingsPage, settingsPage, { portalAccess: 'on', autoCreateAccounts: 'on', landingPage: 'dashboard', ticketApproval: 'off', ticketVisibility: 'all', visibleSince: '', reopenDays: '14', caretakersWork: 'own', queueEmail: '', paymentApproval: 'other', remindersEnabled: 'on', reminderInterval: '14', reminderMinDays: '7' });
    expect(saved.status).toBe(303);
    const stored = await env.db('settings').where({ tenant_id: tenant.id, level: 'tenant' }).whereIn('name', ['reminders.enabled', 'reminders.interval_days', 'reminders.min_days_overdue']).orderBy('name').select('name', 'value');
    expect(stored).toEqual([{ name: 'reminders.enabled', value: 'on' }, { name: 'reminders.interval_days', value: '14' }, { name: 'reminders.min_days_overdue', value: '7' }]);
    const refused = await postForm(admin, settingsPage, settingsPage, { portalAccess: 'on', autoCreateAccounts: 'on', landingPage: 'dashboard', ticketApproval: 'off', ticketVisibility: 'all', visibleSince: '', reopenDays: '14', caretakersWork: 'own', queueEmail: '', paymentApproval: 'other', reminderInterval: '3' });
    expect(refused.status).toBe(422);
    const client = await makeUser(env.db, tenant, 'client');
    const clientAgent = await signedInAgent(env.app, tenant, client.login);
    const notifications = `/${tenant.slug}/account/notifications`;
    expect((await clientAgent.get(notifications)).text).toContain('id="field-reminders-on" name="reminders" value="on" checked');
    expect((await postForm(clientAgent, notifications, notifications, { tickets: 'on', reminders: 'off' })).status).toBe(303);
    expect(await env.db('settings').where({ tenant_id: tenant.id, level: 'account', target_id: client.id }).select('name', 'value')).toEqual([{ name: 'notifications.reminders', value: 'off' }]);
  });
});

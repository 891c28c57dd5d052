import type { Scope } from '../db/scope.js';
import { isUniqueViolation, ValidationError } from '../lib/errors.js';
import { logEvent } from './audit.js';
import { createClientAccount } from './client-account.js';
import { assertAssignableCaretaker, createCustomer, findCustomer, type Customer, type CustomerDetails } from './customer.js';
import { assertCustomerIdentifiers, CustomerIdentifierError, refusalOfNumberRace } from './customer-identifiers.js';
import { noOverrides, saveCustomerSettings, type CustomerSettingOverrides } from './customer-settings.js';
import { settingsInForce } from './settings.js';
import type { User } from './user.js';
import type { Links } from '../lib/urls.js';
import { accountsForAuthentication, visibleCustomers } from './visibility.js';

/** The contact person whose portal account is made with the customer (seed 002), if wanted. */
export type FirstAccountRequest = { isWanted: boolean; firstName: string | null; lastName: string | null };
export type NewCustomer = {
  details: CustomerDetails;
  settings: CustomerSettingOverrides;
  firstAccount: FirstAccountRequest;
  submissionKey?: string | null;
  /** The form confirmed that the customer shares its tax id with another (a branch): see customer-identifiers.ts. */
  isSharedTaxIdConfirmed?: boolean;
};
type Options = { links: Links; bcryptCost: number };

const maximumLoginLength = 100;
const attemptsOnLoginRace = 3;

/** Whether registering a customer offers to make its first portal account ('accounts.auto_create'). */
export async function isFirstAccountOffered(scope: Scope): Promise<boolean> {
  return (await settingsInForce(scope))['accounts.auto_create'].value === 'on';
}

/**
 * Registers a customer (D1): the record, its own settings and an audit entry, and, when the tenant
 * makes first accounts automatically (A7, seed 002), the form asks for one and the customer has an
 * e-mail address, a client account marked as primary contact with an invitation in the outbox.
 * All in one transaction: a customer never exists without the account it was promised, nor an
 * account without its invitation. Two registrations racing for the same login are retried.
 * @throws ValidationError when the caretaker is not an active staff member of the tenant
 * @throws CustomerIdentifierError when the number is another customer's, or the tax id is and sharing it was not confirmed
 */
export async function registerCustomer(scope: Scope, input: NewCustomer, options: Options): Promise<{ customer: Customer; firstAccount: User | null }> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      const earlier = await customerOfSubmission(scope, input.submissionKey);
      if (earlier) return { customer: earlier, firstAccount: null };
      return await scope.transaction((trx) => registerOnce(trx, input, options));
    } catch (error) {
      // The same form sent twice at once: the other request registered it; answer with that customer.
      // (Its tax id or number, already saved by the other request, may be what refused this one.)
      const isRepeatSuspected = isUniqueViolation(error) || error instanceof CustomerIdentifierError;
      const earlier = isRepeatSuspected ? await customerOfSubmission(scope, input.submissionKey) : undefined;
      if (earlier) return { customer: earlier, firstAccount: null };
      // Not the form's second sending: another customer took the accounting number meanwhile.
      if (isUniqueViolation(error) && !scope.isTransaction) await refusalOfNumberRace(scope, error, input.details, null);
      // createClientAccount reports a login taken by a concurrent request as a field error: try the next free one.
      const isLoginRace = error instanceof ValidationError && 'login' in error.fieldErrors;
      if (!isLoginRace || attempt >= attemptsOnLoginRace || scope.isTransaction) throw error;
    }
  }
}

async function registerOnce(trx: Scope, input: NewCustomer, options: Options): Promise<{ customer: Customer; firstAccount: User | null }> {
  await assertAssignableCaretaker(trx, input.details.caretakerId);
  await assertCustomerIdentifiers(trx, input.details, { customerId: null, stored: null, isSharedTaxIdConfirmed: input.isSharedTaxIdConfirmed ?? false });
  const customer = await createCustomer(trx, input.details);
  if (input.submissionKey) await visibleCustomers(trx).where('customers.id', customer.id).update({ submission_key: input.submissionKey });
  await saveCustomerSettings(trx, customer.id, noOverrides, input.settings);
  // No name in the entry: a customer can be a sole trader, a person; the audit page looks the name up.
  await logEvent(trx, { action: 'customer.created', subjectType: 'customer', subjectId: customer.id });
  const isAccountDue = input.firstAccount.isWanted && customer.email !== null && (await isFirstAccountOffered(trx));
  const firstAccount = isAccountDue ? await createFirstAccount(trx, customer, input.firstAccount, options) : null;
  return { customer, firstAccount };
}

/** The contact person's account (A3, A12): primary contact, invited; named after the customer when no one is named. */
async function createFirstAccount(trx: Scope, customer: Customer, contact: FirstAccountRequest, options: Options): Promise<User> {
  const hasContactName = Boolean(contact.firstName || contact.lastName);
  const base = (hasContactName && loginBaseFromName(contact.firstName ?? '', contact.lastName ?? '')) || loginBaseFrom(customer.email ?? '');
  return createClientAccount(
    trx,
    customer.id,
    {
      login: await freeLogin(trx, base),
      firstName: hasContactName ? (contact.firstName ?? '') : customer.name.slice(0, 100),
      lastName: hasContactName ? (contact.lastName ?? '') : '',
      email: customer.email,
      phone: null,
      isPrimaryContact: true,
      isApprover: false,
      access: { kind: 'invitation' },
    },
    options,
  );
}

/** Text in the letters a login may have: accents dropped (Ż → z), letters with no decomposition spelled out (ł → l, ß → ss), lower case. */
function foldedToLogin(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{Mn}/gu, '')
    .replace(/[łŁ]/g, 'l')
    .replace(/ß/g, 'ss')
    .replace(/[æÆ]/g, 'ae')
    .replace(/[øØ]/g, 'o')
    .replace(/[đĐ]/g, 'd')
    .toLowerCase();
}

/**
 * A login from the contact person's name: first.last in lower case, Polish and other accented
 * letters folded (Łukasz Żak → lukasz.zak), a space inside a name as a dash (Anna Maria → anna-maria),
 * anything else a login may not hold dropped. Empty when nothing of the name is left.
 */
export function loginBaseFromName(firstName: string, lastName: string): string {
  const part = (name: string) =>
    foldedToLogin(name.trim())
      .replace(/\s+/g, '-')
      .replace(/[^a-z0-9_-]/g, '')
      .replace(/-{2,}/g, '-')
      .replace(/^-+|-+$/g, '');
  return [part(firstName), part(lastName)].filter(Boolean).join('.').slice(0, maximumLoginLength - 6);
}

/**
 * A login from an e-mail address, for a first account with no contact person's name: its local
 * part folded the same way, only letters, digits, dots, dashes and underscores kept.
 */
export function loginBaseFrom(email: string): string {
  const localPart = email.split('@')[0] ?? '';
  const plain = foldedToLogin(localPart).replace(/[^a-z0-9._-]/g, '');
  return (plain || 'client').slice(0, maximumLoginLength - 6);
}

/** The base itself when no account of the tenant has it, else the base with the first free number (jan2, jan3…). */
export async function freeLogin(scope: Scope, base: string): Promise<string> {
  // LIKE may match more than the base (an underscore is a wildcard): the exact test is below.
  const rows: Array<{ login: string }> = await accountsForAuthentication(scope).where('login', 'like', `${base}%`).select('login');
  const pattern = new RegExp(`^${base.replace(/[.*+?^${}()|[\]\\-]/g, '\\$&')}(\\d*)$`);
  const taken = new Set(rows.map((row) => pattern.exec(row.login)).filter((match) => match !== null).map((match) => match[1]));
  if (!taken.has('')) return base;
  let suffix = 2;
  while (taken.has(String(suffix))) suffix += 1;
  return `${base}${suffix}`;
}

/** The customer an earlier sending of the same form registered, if any. */
async function customerOfSubmission(scope: Scope, submissionKey: string | null | undefined): Promise<Customer | undefined> {
  if (!submissionKey) return undefined;
  const row = await visibleCustomers(scope).where('customers.submission_key', submissionKey).first('customers.id');
  return row ? findCustomer(scope, Number(row.id)) : undefined;
}

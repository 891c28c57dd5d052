import type { Scope } from '../db/scope.js';
import { ValidationError } from '../lib/errors.js';
import { accountsForAuthentication, visibleAccounts } from './visibility.js';
import { nameFromColumns } from './user.js';

/** The message of a form whose e-mail address another account of the tenant already uses. */
export const sharedEmailMessages = {
  /** Names the other accounts the actor may see. */
  named: 'accounts:sharedEmail.named',
  /** Accounts out of the actor's reach are counted, never named. */
  unseen: 'accounts:sharedEmail.unseen',
  both: 'accounts:sharedEmail.both',
} as const;

/** The form field that confirms a shared address: its value is the address the person agreed to share. */
export const sharedEmailConfirmationField = 'confirmSharedEmail';

/** Whether a form's confirmation is for this very address (a confirmation of another address confirms nothing). */
export function isSharedEmailConfirmed(confirmation: unknown, email: string | null): boolean {
  return typeof confirmation === 'string' && email !== null && confirmation.trim().toLowerCase() === email.toLowerCase();
}

/**
 * An address may be shared (a small company's one mailbox, a person with a client and a staff
 * account), but mostly it is a mistake, and a reset then reaches several accounts: the form warns,
 * naming the other accounts, and saves only once the person confirms it for that address (issue 14).
 * Every account of the tenant counts; those the actor may not see are counted, never named.
 * @throws ValidationError on the email field, with the accounts in the message, until confirmed
 */
export async function checkSharedEmail(scope: Scope, email: string | null, options: { exceptUserId?: number; isConfirmed: boolean }): Promise<void> {
  if (!email || options.isConfirmed) return;
  const matching = (query: ReturnType<typeof visibleAccounts>) => {
    query.whereRaw('lower(users.email) = ?', [email.toLowerCase()]);
    if (options.exceptUserId) query.whereNot('users.id', options.exceptUserId);
    return query;
  };
  const [all, visible] = await Promise.all([
    matching(accountsForAuthentication(scope)).select('users.id'),
    matching(visibleAccounts(scope)).orderBy('users.login').select('users.id', 'users.login', 'users.first_name', 'users.last_name'),
  ]);
  if (all.length === 0) return;
  const named = visible.slice(0, 5).map((row: Record<string, unknown>) => {
    const name = nameFromColumns(row.first_name, row.last_name);
    return name ? `${String(row.login)} (${name})` : String(row.login);
  });
  const more = visible.length - named.length;
  const unseen = all.length - visible.length;
  const key = unseen === 0 ? sharedEmailMessages.named : visible.length === 0 ? sharedEmailMessages.unseen : sharedEmailMessages.both;
  const accounts = more > 0 ? `${named.join(', ')} …` : named.join(', ');
  throw new ValidationError({ email: key }, `e-mail address used by ${all.length} other account(s)`, { email: { accounts, count: unseen } });
}

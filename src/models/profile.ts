import type { Scope } from '../db/scope.js';
import { NotFoundError } from '../lib/errors.js';
import { toDatabaseTime } from '../lib/time.js';
import { logEvent } from './audit.js';
import { greetingNameOf, textSizes, voidPasswordTokens, type TextSize, type User } from './user.js';
import { verifyPassword } from '../lib/passwords.js';
import { throttleKeys } from './login-throttle.js';
import { checkUnderThrottle } from './sign-in-attempts.js';
import { enqueueMail } from './outbox.js';
import { findScopeTenant } from './tenant.js';
import type { SettingValue } from './setting-registry.js';
import { saveSettings, settingsInForce, type SettingInForce, type SettingSource } from './settings.js';
import { checkSharedEmail } from './shared-email.js';
import { visibleAccounts } from './visibility.js';

export type LandingPage = SettingValue<'account.landing_page'>;

/** What a user keeps up to date about themselves (A9, A10, A14). */
export type Profile = {
  email: string | null;
  phone: string | null;
  correspondenceAddress: string | null;
  locale: string | null;
  textSize: TextSize;
  landingPage: LandingPage;
};

/** The profile as stored, with where its landing page comes from (the user's own choice, the tenant's default, or the default). */
export type ProfileWithLastVisit = Profile & { lastVisitedPath: string | null; landingPageSource: SettingSource };

/** The profile's fields kept on the account's row; the landing page is a layered setting (settings.ts). */
const columns: Record<Exclude<keyof Profile, 'landingPage'>, string> = {
  email: 'email',
  phone: 'phone',
  correspondenceAddress: 'correspondence_address',
  locale: 'locale',
  textSize: 'text_size',
};

const profileFields = [...(Object.keys(columns) as Array<keyof Profile>), 'landingPage'] as const;

const text = (value: unknown): string | null => (value === null || value === undefined ? null : String(value));

function toProfile(row: Record<string, unknown>, landing: SettingInForce<'account.landing_page'>): ProfileWithLastVisit {
  return {
    email: text(row.email),
    phone: text(row.phone),
    correspondenceAddress: text(row.correspondence_address),
    locale: text(row.locale),
    textSize: (textSizes as readonly string[]).includes(String(row.text_size)) ? (row.text_size as TextSize) : 'default',
    landingPage: landing.value,
    landingPageSource: landing.source,
    lastVisitedPath: text(row.last_visited_path),
  };
}

/** @throws NotFoundError when the user is not the scope tenant's */
export async function findProfile(scope: Scope, userId: number): Promise<ProfileWithLastVisit> {
  const [row, settings] = await Promise.all([visibleAccounts(scope).where('users.id', userId).first(), settingsInForce(scope, { accountId: userId })]);
  if (!row) throw new NotFoundError(`user ${userId} not found`);
  return toProfile(row, settings['account.landing_page']);
}

/**
 * Saves a user's own profile. The audit entry names the fields that changed, not their values:
 * the e-mail address is where password resets go, so changing it is worth a record.
 * @returns the fields that changed (none: nothing is written)
 */
export async function updateProfile(scope: Scope, userId: number, profile: Profile): Promise<Array<keyof Profile>> {
  return scope.transaction(async (trx) => {
    const before = await findProfile(trx, userId);
    const changed = profileFields.filter((field) => before[field] !== profile[field]);
    if (changed.length === 0) return changed;
    const update: Record<string, unknown> = { updated_at: toDatabaseTime(trx.now()) };
    for (const field of changed) if (field !== 'landingPage') update[columns[field]] = profile[field];
    await visibleAccounts(trx).where('users.id', userId).update(update);
    if (changed.includes('landingPage')) await saveSettings(trx, 'account', userId, { 'account.landing_page': profile.landingPage });
    // Links already sent to the old address must not outlive it.
    if (changed.includes('email')) await voidPasswordTokens(trx, userId);
    await logEvent(trx, { action: 'user.profile_changed', subjectType: 'user', subjectId: userId, details: { fields: changed } });
    return changed;
  });
}

/** Remembers the page a user has just seen, for the 'last' landing page. */
export async function rememberVisitedPath(scope: Scope, userId: number, path: string): Promise<void> {
  await visibleAccounts(scope).where('users.id', userId).update({ last_visited_path: path });
}

export type OwnProfileResult = { outcome: 'saved' } | { outcome: 'password-needed' } | { outcome: 'throttled'; retryAfterSeconds: number };

/**
 * A user saves their own profile. Changing the e-mail address, where password resets go, needs
 * the current password (counted by the sign-in throttle, like any password check), and the old
 * address is told of the change, so a stolen session cannot quietly take the account over. An
 * address another account of the tenant uses is saved only once confirmed, as on the staff forms.
 * @throws ValidationError on the email field while a shared address is not confirmed (models/shared-email.ts)
 */
export async function saveOwnProfile(
  scope: Scope,
  user: Pick<User, 'id' | 'login' | 'firstName' | 'lastName'>,
  profile: Profile,
  check: { currentPassword: string; ip: string; bcryptCost: number; isSharedEmailConfirmed: boolean },
): Promise<OwnProfileResult> {
  const before = await findProfile(scope, user.id);
  if (profile.email !== before.email) {
    const keys = throttleKeys(scope.tenantId, user.login, check.ip);
    const attempt = await checkUnderThrottle(scope, keys, scope.now(), async () => {
      const row = await visibleAccounts(scope).where('users.id', user.id).first('password_hash');
      const isRight = Boolean(row?.password_hash) && (await verifyPassword(check.currentPassword, String(row.password_hash)));
      return { verdict: isRight ? 'success' : 'failure', result: isRight };
    });
    if (attempt.isThrottled) return { outcome: 'throttled', retryAfterSeconds: attempt.retryAfterSeconds };
    if (!attempt.result) return { outcome: 'password-needed' };
  }
  await scope.transaction(async (trx) => {
    // Asked only once the password is right, so that only the account's owner learns whether an address is in use.
    if (profile.email !== before.email) await checkSharedEmail(trx, profile.email, { exceptUserId: user.id, isConfirmed: check.isSharedEmailConfirmed });
    const changed = await updateProfile(trx, user.id, profile);
    if (changed.includes('email') && before.email) {
      const tenant = await findScopeTenant(trx);
      await enqueueMail(trx, {
        to: before.email,
        recipientUserId: user.id,
        locale: profile.locale ?? tenant.defaultLocale,
        template: 'email-changed',
        data: { tenant: tenant.name, login: user.login, greetingName: greetingNameOf(user), email: profile.email ?? '' },
      });
    }
  });
  return { outcome: 'saved' };
}

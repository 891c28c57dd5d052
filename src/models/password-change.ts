import type { Scope } from '../db/scope.js';
import { reserveAttempt, settleSuccessfulAttempt, throttleKeys } from './login-throttle.js';
import { changePassword, type User } from './user.js';

export type PasswordChangeResult = { outcome: 'changed' } | { outcome: 'wrong-current' } | { outcome: 'throttled'; retryAfterSeconds: number };

/**
 * A signed-in user changes their own password. A wrong current password counts against the
 * login's sign-in throttle, so a stolen session cannot be used to guess the password either.
 */
export async function changeOwnPassword(
  scope: Scope,
  user: Pick<User, 'id' | 'login'>,
  passwords: { currentPassword: string; newPassword: string },
  options: { bcryptCost: number; ip: string },
): Promise<PasswordChangeResult> {
  const keys = throttleKeys(scope.tenantId, user.login, options.ip);
  const wait = await reserveAttempt(scope, keys, scope.now());
  if (wait > 0) return { outcome: 'throttled', retryAfterSeconds: wait };
  if (!(await changePassword(scope, user.id, passwords, { bcryptCost: options.bcryptCost }))) return { outcome: 'wrong-current' };
  await settleSuccessfulAttempt(scope, keys);
  return { outcome: 'changed' };
}

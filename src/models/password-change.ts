import type { Scope } from '../db/scope.js';
import { throttleKeys } from './login-throttle.js';
import { checkUnderThrottle } from './sign-in-attempts.js';
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
  const attempt = await checkUnderThrottle(scope, keys, scope.now(), async () => {
    const isChanged = await changePassword(scope, user.id, passwords, { bcryptCost: options.bcryptCost });
    return { verdict: isChanged ? 'success' : 'failure', result: isChanged };
  });
  if (attempt.isThrottled) return { outcome: 'throttled', retryAfterSeconds: attempt.retryAfterSeconds };
  return { outcome: attempt.result ? 'changed' : 'wrong-current' };
}

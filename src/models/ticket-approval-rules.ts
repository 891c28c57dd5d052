import type { Scope } from '../db/scope.js';
import { customerLevelSettingsInForce } from './settings.js';
import { visibleAccounts } from './visibility.js';

/**
 * What approval (T7) means for a ticket the actor files for a customer now: 'none' (it goes to
 * staff at once), 'optional' (the filer may ask for it) or 'mandatory' (it waits). Only a client
 * who is not an approver of the company ever waits: staff filing on the customer's behalf (a phone
 * call) and an approver's own ticket go straight to staff.
 */
export type ApprovalOnFiling = 'none' | 'optional' | 'mandatory';

export async function approvalOnFiling(scope: Scope, customerId: number): Promise<ApprovalOnFiling> {
  const actor = scope.actor;
  if (actor.kind !== 'user' || actor.role !== 'client') return 'none';
  const mode = (await customerLevelSettingsInForce(scope, customerId))['tickets.approval'].value;
  if (mode === 'off') return 'none';
  // The account as stored now, not as the request began: a flag changed meanwhile counts.
  const filer = await visibleAccounts(scope).where('users.id', actor.id).first('users.is_approver');
  return filer?.is_approver ? 'none' : (mode as 'optional' | 'mandatory');
}

/** Whether a ticket filed now waits for its customer's approval: always where mandatory, on the filer's request where optional. */
export async function isApprovalAwaited(scope: Scope, customerId: number, isAskedFor: boolean): Promise<boolean> {
  const approval = await approvalOnFiling(scope, customerId);
  return approval === 'mandatory' || (approval === 'optional' && isAskedFor);
}

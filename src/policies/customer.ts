import type { Actor } from '../db/scope.js';

export type CustomerAction = 'view' | 'edit' | 'deactivate' | 'manageAccounts' | 'decideChanges' | 'requestChanges';
export type CustomerSubject = { tenantId: number; id: number; caretakerId: number | null };

/**
 * Who may do what to a customer. Admins and superadmins: everything. A caretaker: view the
 * customers they look after, manage those customers' portal accounts and decide their change
 * requests (A3, A13). A client: view its own customer and ask for changes to it. System work:
 * everything a person of the office may; visitors nothing.
 */
export function can(actor: Actor, action: CustomerAction, customer: CustomerSubject): boolean {
  if (actor.kind === 'system') return action !== 'requestChanges';
  if (actor.kind !== 'user' || actor.tenantId !== customer.tenantId) return false;
  if (actor.role === 'admin' || actor.role === 'superadmin') return action !== 'requestChanges';
  if (actor.role === 'caretaker') {
    return customer.caretakerId === actor.id && (action === 'view' || action === 'manageAccounts' || action === 'decideChanges');
  }
  return customer.id === actor.customerId && (action === 'view' || action === 'requestChanges');
}

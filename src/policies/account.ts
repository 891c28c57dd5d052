import type { Actor, Role } from '../db/scope.js';

export type AccountSubject = { id: number; tenantId: number; role: Role };

/**
 * Who may give an account a role (create it with, or change it to). Admins manage caretakers and
 * clients; only a superadmin creates or promotes admins and superadmins; nobody changes their own role.
 */
export function canAssignRole(actor: Actor, role: Role, subject?: AccountSubject): boolean {
  if (actor.kind === 'system') return true;
  if (actor.kind !== 'user') return false;
  if (subject && (subject.tenantId !== actor.tenantId || subject.id === actor.id)) return false;
  if (actor.role === 'superadmin') return true;
  if (actor.role !== 'admin') return false;
  const touchesHigherRole = role === 'admin' || role === 'superadmin' || subject?.role === 'admin' || subject?.role === 'superadmin';
  return !touchesHigherRole;
}

/** Locking, unlocking, deactivating, resets: admins on accounts below admin, superadmins on all but their own. */
export function canAdminister(actor: Actor, subject: AccountSubject): boolean {
  if (actor.kind === 'system') return true;
  if (actor.kind !== 'user') return false;
  if (subject.tenantId !== actor.tenantId || subject.id === actor.id) return false;
  if (actor.role === 'superadmin') return true;
  return actor.role === 'admin' && (subject.role === 'client' || subject.role === 'caretaker');
}

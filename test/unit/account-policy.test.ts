import { describe, expect, it } from 'vitest';
import { roles, type Actor, type Role } from '../../src/db/scope.js';
import { canAdminister, canAssignRole, type AccountSubject } from '../../src/policies/account.js';

const tenantId = 7;
const actorWith = (role: Role, id = 1): Actor => ({ kind: 'user', id, tenantId, role, customerId: role === 'client' ? 3 : null });
const subjectWith = (role: Role, id = 2, subjectTenantId = tenantId): AccountSubject => ({ id, tenantId: subjectTenantId, role });

describe('canAssignRole', () => {
  it('lets a superadmin give any role to any other account of the tenant', () => {
    for (const role of roles) {
      expect(canAssignRole(actorWith('superadmin'), role), role).toBe(true);
      for (const current of roles) expect(canAssignRole(actorWith('superadmin'), role, subjectWith(current)), `${current} → ${role}`).toBe(true);
    }
  });

  it('lets an admin give only the caretaker and client roles, and only to caretakers and clients', () => {
    const admin = actorWith('admin');
    expect(canAssignRole(admin, 'caretaker')).toBe(true);
    expect(canAssignRole(admin, 'client')).toBe(true);
    expect(canAssignRole(admin, 'admin')).toBe(false);
    expect(canAssignRole(admin, 'superadmin')).toBe(false);
    expect(canAssignRole(admin, 'caretaker', subjectWith('client'))).toBe(true);
    expect(canAssignRole(admin, 'admin', subjectWith('caretaker'))).toBe(false);
    expect(canAssignRole(admin, 'caretaker', subjectWith('admin'))).toBe(false);
    expect(canAssignRole(admin, 'caretaker', subjectWith('superadmin'))).toBe(false);
  });

  it('lets no caretaker or client give any role', () => {
    for (const actorRole of ['caretaker', 'client'] as const) {
      for (const role of roles) {
        expect(canAssignRole(actorWith(actorRole), role), `${actorRole} gives ${role}`).toBe(false);
        expect(canAssignRole(actorWith(actorRole), role, subjectWith('client')), `${actorRole} gives ${role} to a client`).toBe(false);
      }
    }
  });

  it('lets nobody change their own role, a superadmin included', () => {
    for (const actorRole of roles) {
      for (const role of roles) expect(canAssignRole(actorWith(actorRole, 5), role, subjectWith(actorRole, 5)), `${actorRole} → ${role}`).toBe(false);
    }
  });

  it('lets nobody touch an account of another tenant', () => {
    expect(canAssignRole(actorWith('superadmin'), 'caretaker', subjectWith('caretaker', 2, tenantId + 1))).toBe(false);
  });
});

describe('canAdminister', () => {
  it('lets a superadmin administer every other account of the tenant', () => {
    for (const role of roles) expect(canAdminister(actorWith('superadmin'), subjectWith(role)), role).toBe(true);
  });

  it('lets an admin administer caretakers and clients only', () => {
    expect(canAdminister(actorWith('admin'), subjectWith('client'))).toBe(true);
    expect(canAdminister(actorWith('admin'), subjectWith('caretaker'))).toBe(true);
    expect(canAdminister(actorWith('admin'), subjectWith('admin'))).toBe(false);
    expect(canAdminister(actorWith('admin'), subjectWith('superadmin'))).toBe(false);
  });

  it('lets no caretaker or client administer any account', () => {
    for (const actorRole of ['caretaker', 'client'] as const) {
      for (const role of roles) expect(canAdminister(actorWith(actorRole), subjectWith(role)), `${actorRole} on ${role}`).toBe(false);
    }
  });

  it('lets nobody administer their own account or another tenant’s', () => {
    for (const role of roles) expect(canAdminister(actorWith(role, 5), subjectWith(role, 5)), role).toBe(false);
    expect(canAdminister(actorWith('superadmin'), subjectWith('client', 2, tenantId + 1))).toBe(false);
  });
});

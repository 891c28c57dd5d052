import type { SystemWork } from '../src/db/installation.js';
import type { Scope, SystemActor } from '../src/db/scope.js';
import { createGroup, findDefaultGroup, updateGroup } from '../src/models/group.js';
import { isOfficeMessageCategory, listTicketCategories } from '../src/models/ticket-category.js';
import { createTenant } from '../src/models/tenant.js';
import { createUser } from '../src/models/user.js';
import { between, personFrom, randomSource } from './large-people.js';

/** What a seeded tenant is made of; the large one scales, the small ones do not. */
export type TenantPlan = { slug: string; name: string; customers: number; caretakers: number; tickets: number; seed: number };

/** The tenant's rows that the bulk of the seed refers to. */
export type TenantFrame = {
  scope: Scope<SystemActor>;
  tenantId: number;
  adminId: number;
  caretakerIds: number[];
  /** CLIENTS, where most client accounts go, and VIP (portal access set on the group). */
  groupIds: { clients: number; vip: number };
  /** The categories a client may file under (not the office messages'). */
  categoryIds: number[];
};

/**
 * The tenant through the model verbs, as the admin pages would make it: the superadmin `owner`,
 * the admin `admin`, the caretakers `caretaker1`…, the groups with their portal access (VIP on
 * explicitly, "Zawieszeni" off, with nobody in it), the billing details payment orders print.
 * Every account gets the one hash made beforehand.
 */
export async function createSeedTenant(system: SystemWork, plan: TenantPlan, passwordHash: string): Promise<TenantFrame> {
  const domain = `${plan.slug}.example`;
  const { tenant } = await createTenant(system, { slug: plan.slug, name: plan.name, admin: { login: 'owner', email: `owner@${domain}`, firstName: 'Zofia', lastName: 'Wiśniewska', passwordHash } }, { bcryptCost: 4 });
  const scope = system.scopeFor(tenant.id);
  await system.tenants().where('id', tenant.id).update({
    office_email: `biuro@${domain}`,
    office_phone: '+48 22 100 20 00',
    office_address: 'ul. Przemysłowa 7\n00-950 Warszawa',
    office_hours: 'pon.–pt. 8:00–16:00',
    legal_name: plan.name,
    legal_street: 'ul. Przemysłowa 7',
    legal_postal_code: '00-950',
    legal_city: 'Warszawa',
    tax_id: '9521043838',
    bank_account: '07102010268765432100001234',
  });
  const random = randomSource(plan.seed);
  const staff = async (login: string, role: 'admin' | 'caretaker') => {
    const person = personFrom(random);
    const phone = role === 'caretaker' ? `+48 22 ${between(random, 100, 999)} ${between(random, 10, 99)} ${between(random, 10, 99)}` : null;
    const user = await createUser(scope, { login, email: `${login}@${domain}`, firstName: person.firstName, lastName: person.lastName, role, passwordHash, phone }, { bcryptCost: 4 });
    return user.id;
  };
  const adminId = await staff('admin', 'admin');
  const caretakerIds: number[] = [];
  for (let number = 1; number <= plan.caretakers; number += 1) caretakerIds.push(await staff(`caretaker${number}`, 'caretaker'));
  const vip = await createGroup(scope, 'VIP');
  await updateGroup(scope, vip.id, { name: 'VIP', portalAccess: 'on' });
  const suspended = await createGroup(scope, 'Zawieszeni');
  await updateGroup(scope, suspended.id, { name: 'Zawieszeni', portalAccess: 'off' });
  const clients = await findDefaultGroup(scope);
  const categories = await listTicketCategories(scope, { isActiveOnly: true });
  return {
    scope,
    tenantId: tenant.id,
    adminId,
    caretakerIds,
    groupIds: { clients: clients!.id, vip: vip.id },
    categoryIds: categories.filter((category) => !isOfficeMessageCategory(category)).map((category) => category.id),
  };
}

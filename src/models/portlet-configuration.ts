import type { Scope } from '../db/scope.js';
import { isAdministrator } from '../db/scope.js';
import { ForbiddenError } from '../lib/errors.js';
import { findGroup } from './group.js';
import { defaultPortlets, type PortletChoice } from './portlet-registry.js';
import { saveSettings, settingsInForce, settingsSetOn, tenantLevelSettingsInForce } from './settings.js';

/**
 * The portlets a client sees (P1): the `portal.portlets` setting in force for their customer and
 * group (the group's own list, else the tenant's default, else every portlet). Read with the
 * request's other settings: no query of its own when the request has resolved the client's
 * settings already (the portal-access check has).
 */
export async function portletsInForce(scope: Scope, client: { customerId: number; groupId: number | null }): Promise<PortletChoice[]> {
  const settings = await settingsInForce(scope, { customerId: client.customerId, groupId: client.groupId });
  return settings['portal.portlets'].value;
}

/** A set of portlets as its page shows it: its own list (null when it has none) and what it would inherit. */
export type PortletSet = { own: PortletChoice[] | null; inherited: PortletChoice[]; inheritsFrom: 'tenant' | 'default' };
export type GroupPortlets = PortletSet;

/** @throws NotFoundError for a group of another tenant */
export async function findGroupPortlets(scope: Scope, groupId: number): Promise<GroupPortlets> {
  await findGroup(scope, groupId);
  const [own, tenant] = await Promise.all([settingsSetOn(scope, 'group', groupId), tenantLevelSettingsInForce(scope)]);
  const inherited = tenant['portal.portlets'];
  return { own: own['portal.portlets'] ?? null, inherited: inherited.value, inheritsFrom: inherited.source.level === 'tenant' ? 'tenant' : 'default' };
}

/** The tenant's default set (for groups without their own): its own list, else the registry's everyday portlets. */
export async function findTenantPortlets(scope: Scope): Promise<PortletSet> {
  const own = await settingsSetOn(scope, 'tenant', 0);
  return { own: own['portal.portlets'] ?? null, inherited: defaultPortlets, inheritsFrom: 'default' };
}

/**
 * Sets the tenant's default portlets, or clears them (null) to give groups without their own the
 * registry's everyday set. Audited as a settings change of the tenant.
 * @throws ForbiddenError for anyone but an admin
 */
export async function configureTenantPortlets(scope: Scope, portlets: PortletChoice[] | null): Promise<void> {
  if (!isAdministrator(scope.actor)) throw new ForbiddenError('only admins configure portlets');
  await saveSettings(scope, 'tenant', 0, { 'portal.portlets': portlets });
}

/**
 * Sets a group's portlets, in order with their settings (P1, P2), or clears its own list (null) so
 * that it inherits the tenant's default again. Audited as a settings change of the group. Members
 * see it on their next request: nothing is cached past a request.
 * @throws ForbiddenError for anyone but an admin; NotFoundError for a group of another tenant
 */
export async function configureGroupPortlets(scope: Scope, groupId: number, portlets: PortletChoice[] | null): Promise<void> {
  if (!isAdministrator(scope.actor)) throw new ForbiddenError('only admins configure portlets');
  await findGroup(scope, groupId);
  await saveSettings(scope, 'group', groupId, { 'portal.portlets': portlets });
}

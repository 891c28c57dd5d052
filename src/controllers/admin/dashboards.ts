import type { Request, Response } from 'express';
import { scopeOf, tenantOf } from '../../middleware/context.js';
import { renderPage } from '../../lib/render.js';
import { countCustomers } from '../../models/customer.js';
import { countUsersByRole } from '../../models/user.js';
import { findProviderDetails, hasOfficeContact } from '../../models/provider-details.js';

/** GET /:tenant/admin: the administration start page, with the tenant's numbers. */
export async function show(req: Request, res: Response): Promise<void> {
  const scope = scopeOf(req);
  const [customers, accounts, provider] = await Promise.all([countCustomers(scope), countUsersByRole(scope), findProviderDetails(scope)]);
  renderPage(res, 'admin/dashboards/show', {
    title: res.locals.t('admin:dashboard.title'),
    tenant: tenantOf(req),
    customers,
    accounts,
    provider,
    hasOfficeContact: hasOfficeContact(provider.office),
    // The superadmin's pages have no entries of their own in the menu: they are listed here.
    isSuperadmin: scope.actor.kind === 'user' && scope.actor.role === 'superadmin',
    // Client groups and the development mailbox are listed here too, rather than in the menu.
    hasDevelopmentMailbox: req.deps.config.hasDevelopmentMailbox,
  });
}

import type { Request, Response } from 'express';
import { renderPage } from '../../lib/render.js';
import type { PathTo } from '../../lib/urls.js';
import { installationOf } from '../../middleware/context.js';
import { baseLocals, chooseLocale } from '../../middleware/locals.js';
import { findTenantBySlug } from '../../models/tenant.js';
import { demoTenantSlug } from '../../../seeds/demo.js';

/**
 * GET /: the bare address, which belongs to no provider. In development it leads to the demo
 * provider's sign-in page (when the demo was seeded); otherwise, and always in production, a short
 * page says that each provider has its own address. Never an error page: nothing went wrong.
 */
export async function show(req: Request, res: Response): Promise<void> {
  if (!req.deps.config.isProduction && (await findTenantBySlug(installationOf(req), demoTenantSlug))) {
    const pathTo = req.app.locals.pathTo as PathTo;
    return res.redirect(303, pathTo('auth.sessions.new', { tenant: demoTenantSlug }));
  }
  Object.assign(res.locals, baseLocals(req.deps.i18n, chooseLocale(req), req));
  res.setHeader('Cache-Control', 'no-store');
  renderPage(res, 'auth/entrances/show', { title: res.locals.t('auth:entrance.title') });
}

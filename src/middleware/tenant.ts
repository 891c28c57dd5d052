import type { NextFunction, Request, Response } from 'express';
import { NotFoundError } from '../lib/errors.js';
import { findTenantBySlug, type Tenant } from '../models/tenant.js';
import { installationOf } from './context.js';
import { setNewest } from '../lib/bounded-map.js';

const slugPattern = /^[a-z0-9][a-z0-9-]{0,62}$/;
const cacheMilliseconds = 30_000;

/**
 * Loads the tenant named by the first path segment, or answers with the ordinary 404 page.
 * Tenants are cached briefly per process: they change rarely and every request needs one.
 */
export function loadTenant() {
  const cache = new Map<string, { tenant: Tenant; until: number }>();
  return async function tenant(req: Request, _res: Response, next: NextFunction): Promise<void> {
    const slug = String(req.params.tenant ?? '');
    // The slug must be written plainly: /%61cme would escape the session cookie's path.
    const written = req.originalUrl.split(/[/?#]/)[1];
    if (!slugPattern.test(slug) || written !== slug) throw new NotFoundError(`no tenant ${slug}`);
    const now = req.deps.clock().getTime();
    let tenant = cache.get(slug);
    if (!tenant || tenant.until < now) {
      const found = await findTenantBySlug(installationOf(req), slug);
      // Unknown slugs are not cached, so a tenant created a moment ago is found at once.
      if (!found) throw new NotFoundError(`no tenant ${slug}`);
      tenant = { tenant: found, until: now + cacheMilliseconds };
      setNewest(cache, slug, tenant, 10_000);
    }
    req.tenant = tenant.tenant;
    next();
  };
}

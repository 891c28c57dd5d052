import type { Request, Response } from 'express';
import { noteDatabaseFailure, readinessOf } from '../../middleware/context.js';

/** GET /readyz: the database answers and its schema is current; 503 otherwise. */
export async function show(req: Request, res: Response): Promise<void> {
  res.setHeader('Cache-Control', 'no-store');
  const readiness = await readinessOf(req);
  if (readiness.isReady) {
    res.json({ status: 'ready' });
    return;
  }
  // An outage is logged once by the availability watch; a probe every few seconds adds nothing to it.
  if (readiness.reason === 'database unreachable' && !noteDatabaseFailure(req, readiness.error)) req.log?.warn({ err: readiness.error }, 'readiness check failed');
  const detail = readiness.reason === 'migrations pending' ? { pending: readiness.pending } : {};
  res.status(503).json({ status: 'not ready', reason: readiness.reason, ...detail });
}

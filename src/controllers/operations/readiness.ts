import type { Request, Response } from 'express';
import { readinessOf } from '../../middleware/context.js';

/** GET /readyz: the database answers and its schema is current; 503 otherwise. */
export async function show(req: Request, res: Response): Promise<void> {
  res.setHeader('Cache-Control', 'no-store');
  const readiness = await readinessOf(req);
  if (readiness.isReady) {
    res.json({ status: 'ready' });
    return;
  }
  if (readiness.reason === 'database unreachable') req.log?.warn({ err: readiness.error }, 'readiness check failed');
  const detail = readiness.reason === 'migrations pending' ? { pending: readiness.pending } : {};
  res.status(503).json({ status: 'not ready', reason: readiness.reason, ...detail });
}

import type { Request, Response } from 'express';
import { watchAvailability } from '../db/availability.js';
import { pingDatabase } from '../db/knex.js';
import { pendingMigrations } from '../db/migrations.js';

/** GET /healthz: the process is alive (no database call). */
export function live(_req: Request, res: Response): void {
  res.json({ status: 'ok' });
}

/** GET /readyz: the database answers and its schema is current; 503 otherwise. */
export async function ready(req: Request, res: Response): Promise<void> {
  res.setHeader('Cache-Control', 'no-store');
  try {
    await pingDatabase(req.deps.db);
    const pending = await pendingMigrations(req.deps.db);
    if (pending.length > 0) {
      res.status(503).json({ status: 'not ready', reason: 'migrations pending', pending });
      return;
    }
    res.json({ status: 'ready' });
  } catch (error) {
    // An outage is logged once by the watch; a probe every few seconds adds nothing to it.
    if (!watchAvailability(req.deps.db, req.deps.logger).noteFailure(error)) req.log?.warn({ err: error }, 'readiness check failed');
    res.status(503).json({ status: 'not ready', reason: 'database unreachable' });
  }
}

import type { Request, Response } from 'express';

/** GET /healthz: the process is alive (no database call). */
export function show(_req: Request, res: Response): void {
  res.json({ status: 'ok' });
}

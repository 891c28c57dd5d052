import type { ErrorRequestHandler, NextFunction, Request, Response } from 'express';
import { sessionContentOf } from '../lib/session-content.js';

/** Response headers of the page that was about to go out, which the error page must not inherit. */
const headersOfDroppedPage = ['location', 'content-type', 'content-length', 'etag', 'retry-after'];

/**
 * Stores a changed session before the response goes out rather than while it goes out.
 * express-session writes the session as the response ends, after the status and most of the
 * page have been sent: with the database away, a sign-in page went out as a 200 whose session
 * did not exist, and the failure arrived after the response, too late to answer. Here a failed
 * write still becomes the error page (503 in an outage). An unchanged session's expiry is still
 * moved by express-session as the response ends; if that fails, the response stands.
 */
export function saveSessionBeforeResponding(onError: ErrorRequestHandler) {
  return function saveSessionFirst(req: Request, res: Response, next: NextFunction): void {
    if (!req.session) return next();
    const idAtStart = req.sessionID;
    const contentAtStart = sessionContentOf(req.session);
    const end = res.end;
    res.end = function endAfterSaving(this: Response, ...args: unknown[]) {
      res.end = end;
      const session = req.session;
      const isChanged = Boolean(session) && (req.sessionID !== idAtStart || sessionContentOf(session) !== contentAtStart);
      if (!isChanged || res.headersSent) return (end as (...parts: unknown[]) => Response).apply(this, args);
      session.save((error: unknown) => {
        if (!error) return void (end as (...parts: unknown[]) => Response).apply(res, args);
        // express-session must not try the write again as the error page ends; the session in the
        // store is left as it was.
        delete (req as { session?: unknown }).session;
        for (const header of headersOfDroppedPage) res.removeHeader(header);
        onError(error, req, res, () => res.end());
      });
      return res;
    } as Response['end'];
    next();
  };
}

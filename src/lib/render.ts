import type { Response } from 'express';

export type Layout = 'public' | 'portal' | 'staff';

/**
 * Renders a page inside its audience's layout: views/portal/* in the portal layout,
 * views/staff/* and views/admin/* in the staff one, account pages by the user's role,
 * everything else (sign-in, links, errors) in the public one.
 */
export function renderPage(res: Response, view: string, data: Record<string, unknown> = {}, status = 200): void {
  takeFlash(res);
  const layout = layoutFor(view, res);
  const render = () => res.status(status).render(`layouts/${layout}`, { ...data, page: `../${view}` });
  // What the layout itself shows beyond the page (the staff menu's counts) is read only when a layout is drawn.
  const prepare = res.locals.prepareLayout as PrepareLayout | undefined;
  if (!prepare) return render();
  prepare(layout).then(render, (error: unknown) => res.req.next?.(error));
}

/** Reads what a layout shows beyond its page, into res.locals (middleware/locals.ts sets it for signed-in users). */
export type PrepareLayout = (layout: Layout) => Promise<void>;

function layoutFor(view: string, res: Response): Layout {
  const folder = view.split('/')[0];
  if (folder === 'portal') return 'portal';
  if (folder === 'staff' || folder === 'admin' || folder === 'superadmin') return 'staff';
  if (folder === 'account' && res.locals.currentUser) return res.locals.currentUser.role === 'client' ? 'portal' : 'staff';
  return 'public';
}

/**
 * The session's flash goes to the first page rendered after it was set. Taking it any earlier
 * would lose it to a redirect in between (signed out for inactivity, then sent to sign-in).
 */
function takeFlash(res: Response): void {
  const session = res.req.session;
  if (!session?.flash) return;
  res.locals.flash = session.flash;
  delete session.flash;
}

/**
 * Prepares a "wait and try again" answer (429): sets Retry-After and gives the form message
 * with the wait in whole minutes, for the page to show.
 */
export function throttledMessage(res: Response, retryAfterSeconds: number, key: string): { key: string; values: { count: number } } {
  res.setHeader('Retry-After', String(retryAfterSeconds));
  return { key, values: { count: Math.ceil(retryAfterSeconds / 60) } };
}

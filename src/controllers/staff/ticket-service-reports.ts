import type { Request, Response } from 'express';
import { scopeOf, tenantOf } from '../../middleware/context.js';
import { loaded } from '../../middleware/loaders.js';
import { attachmentDisposition } from '../../lib/file-names.js';
import { findServiceReport } from '../../models/service-report.js';
import { presentationFor } from '../../presenters/presentation.js';
import { serviceReportPdf } from '../../presenters/service-report-pdf.js';

/** GET /:tenant/staff/tickets/:ticketId/service-report: the ticket's service report PDF (T10), as its client gets it. */
export async function show(req: Request, res: Response): Promise<void> {
  const ticket = loaded(req, 'ticket');
  const scope = scopeOf(req);
  const pdf = await serviceReportPdf(await findServiceReport(scope, ticket), { presentation: presentationFor(res.locals.t, req.locale, tenantOf(req).timeZone), locale: req.locale, now: scope.now() });
  res.type('application/pdf').setHeader('Content-Disposition', attachmentDisposition(`${res.locals.t('pricing:report.fileName')}-${ticket.number.replace('/', '-')}.pdf`));
  res.send(pdf);
}

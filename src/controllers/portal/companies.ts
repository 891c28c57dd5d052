import type { Request, Response } from 'express';
import { clientCustomerOf, scopeOf } from '../../middleware/context.js';
import { renderPage } from '../../lib/render.js';
import { listCustomerChangeRequests } from '../../models/change-request.js';
import { changedRows, changeFieldLabels, changeRequestStatus, shownValue } from '../../presenters/change-requests.js';
import { countryText } from '../../presenters/customers.js';

/** GET /:tenant/portal/company: the customer's data, the changes waiting for staff and the decided ones (A13). */
export async function show(req: Request, res: Response): Promise<void> {
  const customer = await clientCustomerOf(req);
  const requests = (await listCustomerChangeRequests(scopeOf(req), customer.id)).map((request) => ({
    ...request,
    rows: changedRows(request, customer),
    statusBadge: changeRequestStatus(request.status),
  }));
  renderPage(res, 'portal/companies/show', {
    title: res.locals.t('changes:company.title'),
    customer,
    details: [
      // The country that issued the tax id by name: a foreign customer sees which country its number is read in.
      { label: changeFieldLabels.taxCountry, value: countryText(req.locale, customer.taxCountry) },
      ...(['taxId', 'street', 'postalCode', 'city', 'country', 'bankAccount'] as const).map((field) => ({ label: changeFieldLabels[field], value: shownValue(field, customer[field], customer) })),
    ],
    pending: requests.filter((request) => request.status === 'pending'),
    decided: requests.filter((request) => request.status !== 'pending'),
  });
}

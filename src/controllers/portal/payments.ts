import type { Request, Response } from 'express';
import { scopeOf } from '../../middleware/context.js';
import { pageFrom, paginate } from '../../lib/pagination.js';
import { renderPage } from '../../lib/render.js';
import { paymentMethods } from '../../models/ledger.js';
import { monthlyTotalsOf } from '../../models/ledger-months.js';
import { listPayments } from '../../models/payment-history.js';
import { moneyChartOf } from '../../presenters/money-chart.js';
import { message } from '../../presenters/presentation.js';
import { paymentMethodLabel, paymentMethodLabels } from '../../presenters/settlements.js';
import { paymentFilterFrom } from '../../validators/payment-filter.js';
import { chartPeriodOf, clientMoneyContext } from './_money-page.js';

const perPage = 20;

/**
 * GET /:tenant/portal/payments: the client's approved payments, newest first, filtered by dates and
 * method and paged, each with the invoices it paid (M2), and the chart of charges and payments per
 * month over the filtered period or the last twelve months (M6). A filter value that cannot be used
 * answers 422 with the form as typed; the rest of the filter still applies.
 */
export async function index(req: Request, res: Response): Promise<void> {
  const { customerId, today } = clientMoneyContext(req);
  const { filter, values, errors } = paymentFilterFrom(req.query as Record<string, unknown>);
  const page = pageFrom(req.query.page, perPage);
  const scope = scopeOf(req);
  const period = chartPeriodOf(filter, today);
  const [{ rows, total }, months] = await Promise.all([listPayments(scope, customerId, filter, page), monthlyTotalsOf(scope, customerId, period.first, period.last)]);
  const query = Object.fromEntries(Object.entries(values).filter(([, value]) => value !== ''));
  const isInvalid = Object.keys(errors).length > 0;
  renderPage(
    res,
    'portal/payments/index',
    {
      title: res.locals.t('settlements:payments.title'),
      payments: rows.map((row) => ({ ...row, methodLabel: paymentMethodLabel(row.method) })),
      values,
      errors,
      query,
      isFiltered: Object.keys(filter).length > 0,
      methods: paymentMethods.map((method) => ({ value: method, label: message(paymentMethodLabels[method]) })),
      pagination: paginate(page, total),
      chart: moneyChartOf(months, req.tenant!.currency, req.locale),
      isChartShortened: period.isShortened,
      isChartFiltered: Boolean(filter.from || filter.to),
    },
    isInvalid ? 422 : 200,
  );
}

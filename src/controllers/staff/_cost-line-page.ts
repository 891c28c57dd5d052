import { randomUUID } from 'node:crypto';
import type { Request, Response } from 'express';
import { scopeOf } from '../../middleware/context.js';
import { renderPage } from '../../lib/render.js';
import type { CostLine } from '../../models/ticket-cost-lines.js';
import { ticketPricing } from '../../models/ticket-cost-lines.js';
import type { Ticket } from '../../models/ticket.js';
import { vatRatesFor } from '../../models/vat-rates.js';
import { can } from '../../policies/ticket.js';
import { costLineFormValues, kindChoices, presentPricing, vatRateChoices, type ShownPricing } from '../../presenters/pricing.js';
import type { Choice } from '../../presenters/presentation.js';
import type { FieldError } from '../../validators/form.js';

/** What the pricing section (views/partials/ticket-pricing.ejs) and the cost-line forms need on a staff page. */
export type StaffPricing = { pricing: ShownPricing; canEditPricing: boolean; kindOptions: Choice[]; vatRateOptions: Choice[]; newLineValues: Record<string, string> };

/** A fresh add form: labour at the first (standard) rate, with its own submission key. */
function newLineValues(currency: string): Record<string, string> {
  return { kind: 'labour', vatRate: vatRatesFor(currency)[0]?.code ?? '', submissionKey: randomUUID() };
}

/**
 * The pricing of a ticket as staff see it (T10): its lines and totals, and whether the actor may
 * change them (works the ticket, and the ticket is not closed or rejected).
 */
export async function staffPricingOf(req: Request, ticket: Ticket): Promise<StaffPricing> {
  const scope = scopeOf(req);
  const pricing = await ticketPricing(scope, ticket);
  return {
    pricing: presentPricing(pricing, req.locale),
    canEditPricing: can(scope.actor, 'work', ticket) && !pricing.isFrozen,
    kindOptions: kindChoices(),
    vatRateOptions: vatRateChoices(pricing.currency),
    newLineValues: newLineValues(pricing.currency),
  };
}

type FormState = { status: number; values?: Record<string, string>; errors?: Record<string, FieldError>; notice?: string; stored?: CostLine; clashes?: readonly string[] };

/**
 * The page of one cost-line form, for a new line (`line` absent) or a stored one: the ticket, its
 * pricing as it is now, and the form with the user's values and messages. After a conflict the
 * stored line is shown above the form, which holds it with the user's own changes (the fields both
 * people changed, `clashes`, with the user's value, named above the form).
 */
export async function renderCostLineForm(req: Request, res: Response, ticket: Ticket, line: CostLine | undefined, state: FormState): Promise<void> {
  const section = await staffPricingOf(req, ticket);
  const values = state.values ?? (line ? costLineFormValues(line, section.pricing.currency, req.locale) : section.newLineValues);
  const stored = state.stored ? presentPricing({ ...(await ticketPricing(scopeOf(req), ticket)), lines: [state.stored] }, req.locale).lines[0] : undefined;
  renderPage(
    res,
    line ? 'staff/ticket-cost-lines/edit' : 'staff/ticket-cost-lines/new',
    {
      title: res.locals.t(line ? 'pricing:edit.title' : 'pricing:new.title', { number: ticket.number }),
      ticket,
      line,
      ...section,
      values: line ? values : { ...values, submissionKey: values.submissionKey || randomUUID() },
      errors: state.errors ?? {},
      notice: state.notice,
      stored,
      clashes: (state.clashes ?? []).map((field) => res.locals.t(`pricing:fields.${field}`)),
    },
    state.status,
  );
}

import type { Request } from 'express';
import type { CustomerPicker } from '../models/customer-choices.js';
import type { QueryParameters } from '../lib/urls.js';

/**
 * The words of a picker's search in the address (views/partials/customer-picker.ejs names it
 * customerSearch): a GET's; a refused POST shows its form again without one.
 */
export function customerSearchOf(req: Request): string {
  return req.method === 'GET' && typeof req.query.customerSearch === 'string' ? req.query.customerSearch : '';
}

/** The customer a form's values name, if any (a positive whole id; anything else names none). */
export function chosenIdOf(values: Record<string, unknown>, name = 'customerId'): number | undefined {
  const id = Number(values[name]);
  return Number.isInteger(id) && id > 0 ? id : undefined;
}

/** The customer a search found alone: the page takes it as chosen (a redirect to hrefFor it). */
export function onlyMatchOf(picker: CustomerPicker): number | undefined {
  return picker.kind === 'search' && picker.chosen === null && picker.matches.length === 1 && !picker.isCapped ? picker.matches[0]!.id : undefined;
}

/**
 * The links of a picker in a GET form of `route`: a match chosen (the form's other parameters kept,
 * the search dropped) and "choose another" (the customer dropped).
 */
export function customerPickerLinks(req: Request, route: string, parameters: QueryParameters): { hrefFor: (id: number) => string; clearHref: string } {
  return {
    hrefFor: (id) => req.pathTo(route, {}, { ...parameters, customer: id }),
    clearHref: req.pathTo(route, {}, { ...parameters, customer: undefined }),
  };
}

/**
 * A form's other values as a search for its customer carries them (hidden fields of the search's
 * GET form, parameters of its links), so that nothing typed is lost on the way; empty ones, and
 * those still at the fresh form's `defaults`, are left out.
 */
export function carriedValues(values: Record<string, string>, names: readonly string[], defaults: Record<string, string> = {}): Record<string, string> {
  return Object.fromEntries(names.flatMap((name) => (values[name] && values[name] !== defaults[name] ? [[name, values[name]!]] : [])));
}

/** The carried values a form's GET brings back (strings only, as long as any field takes). */
export function carriedFromQuery(req: Request, names: readonly string[]): Record<string, string> {
  return Object.fromEntries(names.flatMap((name) => {
    const value = req.query[name];
    return typeof value === 'string' && value !== '' ? [[name, value.slice(0, 1000)]] : [];
  }));
}

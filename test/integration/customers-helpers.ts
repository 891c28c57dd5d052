import type { Knex } from 'knex';
import type { Tenant } from '../../src/models/tenant.js';
import { csrfTokenFrom, type Agent } from '../support/http.js';

/** A valid Polish NIP (its check digit matches) and another, for tests that need two. */
export const validNip = '1234563218';
export const otherValidNip = '5260250995';

/** What the new-customer form sends when only a name is typed in: the defaults it shows. */
export function customerFields(overrides: Record<string, string | undefined> = {}): Record<string, string> {
  const fields: Record<string, string | undefined> = {
    name: 'Hydro-Serwis sp. z o.o.',
    taxCountry: 'PL',
    taxId: '',
    street: '',
    postalCode: '',
    city: '',
    country: 'PL',
    email: '',
    phone: '',
    caretakerId: '',
    notes: '',
    isActive: 'on',
    portalAccess: 'inherit',
    ticketApproval: 'inherit',
    ticketVisibility: 'inherit',
    visibleSince: '',
    ...overrides,
  };
  return Object.fromEntries(Object.entries(fields).filter((entry): entry is [string, string] => entry[1] !== undefined));
}

/** Sends the new-customer form as an admin's browser would (the token from the form page). */
export async function submitNewCustomer(agent: Agent, tenant: Pick<Tenant, 'slug'>, fields: Record<string, string>, language = 'en') {
  const token = await csrfTokenFrom(agent, `/${tenant.slug}/admin/customers/new`);
  return agent.post(`/${tenant.slug}/admin/customers`).set('Accept-Language', language).type('form').send({ _csrf: token, ...fields });
}

/** The customer id in the address a successful registration redirects to. */
export function customerIdFrom(location: string | undefined): number {
  const match = /\/staff\/customers\/(\d+)$/.exec(location ?? '');
  if (!match) throw new Error(`not a customer record address: ${location}`);
  return Number(match[1]);
}

/** The names of the customers listed on a page, in order. */
export function listedNames(html: string): string[] {
  return [...html.matchAll(/data-testid="customer-name">([^<]*)</g)].map((match) => match[1]!);
}

export async function customerRows(db: Knex, tenant: Pick<Tenant, 'id'>): Promise<Array<Record<string, unknown>>> {
  return db('customers').where('tenant_id', tenant.id).orderBy('id');
}

export async function auditActions(db: Knex, tenant: Pick<Tenant, 'id'>, prefix = 'customer.'): Promise<Array<{ action: string; subject_id: number; details: string | null }>> {
  return db('audit_log').where('tenant_id', tenant.id).andWhere('action', 'like', `${prefix}%`).orderBy('id').select('action', 'subject_id', 'details');
}

const entities: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&#34;': '"', '&quot;': '"', '&#39;': "'" };
const decoded = (text: string) => text.replace(/&(amp|lt|gt|quot|#34|#39);/g, (entity) => entities[entity]!);
const attributeOf = (tag: string, name: string) => new RegExp(`\\s${name}="([^"]*)"`).exec(tag)?.[1];

/**
 * The fields a browser sends for the page's form that holds `marker` (the customer form by default):
 * inputs with their values, ticked checkboxes and radios only, each select's chosen option, text areas.
 */
export function formOf(html: string, marker = 'name="version"'): Record<string, string> {
  const form = [...html.matchAll(/<form[\s\S]*?<\/form>/g)].map((match) => match[0]).find((candidate) => candidate.includes(marker));
  if (!form) throw new Error(`no form with ${marker} on the page`);
  const fields: Record<string, string> = {};
  for (const [tag] of form.matchAll(/<input\b[^>]*>/g)) {
    const name = attributeOf(tag, 'name');
    const type = attributeOf(tag, 'type') ?? 'text';
    if (!name || type === 'submit') continue;
    if ((type === 'checkbox' || type === 'radio') && !/\schecked\b/.test(tag)) continue;
    fields[name] = decoded(attributeOf(tag, 'value') ?? '');
  }
  for (const [, attributes, body] of form.matchAll(/<select\b([^>]*)>([\s\S]*?)<\/select>/g)) {
    const options = [...body!.matchAll(/<option\b([^>]*)>/g)].map((match) => match[1]!);
    const chosen = options.find((option) => /\sselected\b/.test(option)) ?? options[0] ?? '';
    fields[attributeOf(attributes!, 'name')!] = decoded(attributeOf(chosen, 'value') ?? '');
  }
  for (const [, attributes, body] of form.matchAll(/<textarea\b([^>]*)>([\s\S]*?)<\/textarea>/g)) {
    fields[attributeOf(attributes!, 'name')!] = decoded(body!.replace(/^\n/, ''));
  }
  return fields;
}

/** The cells of the conflict page's comparison row of a field (label, yours, stored now, in the form), as text; undefined without the row. */
export function comparisonOf(html: string, field: string): string[] | undefined {
  const row = new RegExp(`<tr[^>]*data-testid="compare-${field}"[^>]*>([\\s\\S]*?)</tr>`).exec(html)?.[1];
  if (row === undefined) return undefined;
  return [...row.matchAll(/<t[hd]\b[^>]*>([\s\S]*?)<\/t[hd]>/g)].map((match) => decoded(match[1]!.replace(/<[^>]+>/g, '')).trim());
}

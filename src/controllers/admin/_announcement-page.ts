import type { Request, Response } from 'express';
import { renderPage } from '../../lib/render.js';
import { scopeOf, tenantOf } from '../../middleware/context.js';
import { withVisibleAccounts } from '../../models/account.js';
import { customerOfReference, customerPicker } from '../../models/customer-choices.js';
import type { Announcement } from '../../models/announcement.js';
import { listGroups } from '../../models/group.js';
import { announcementLabels, audienceLabels, type AnnouncementForm } from '../../presenters/announcements.js';
import { chosenIdOf } from '../../presenters/customer-picker.js';
import { choicesOf } from '../../presenters/presentation.js';
import type { FieldError } from '../../validators/form.js';

/**
 * The new and edit forms of an announcement (C2), and their answers to a refused (422) or
 * conflicting (409) submission: the tenant's groups and the customers with accounts to choose from
 * (in a select while they are few; past 200, by the customer's number or tax id: customerReferenceOf).
 */
export async function renderAnnouncementForm(req: Request, res: Response, page: { announcement?: Announcement; form: AnnouncementForm }, status: number, errors: Record<string, FieldError> = {}): Promise<void> {
  const scope = scopeOf(req);
  const [groups, picker] = await Promise.all([listGroups(scope), customerPicker(scope, { isActiveOnly: false, chosenId: chosenIdOf(page.form.values), narrowedBy: withVisibleAccounts(scope) })]);
  const { t } = res.locals;
  const view = page.announcement ? 'admin/announcements/edit' : 'admin/announcements/new';
  renderPage(
    res,
    view,
    {
      title: page.announcement ? t('announcements:edit.title', { title: page.announcement.title }) : t('announcements:new.title'),
      announcement: page.announcement,
      ...page.form,
      errors,
      labels: announcementLabels,
      audiences: choicesOf(audienceLabels),
      groups: [{ value: '', label: t('announcements:fields.chooseGroup') }, ...groups.map((group) => ({ value: group.id, label: group.name }))],
      customers: picker.kind === 'list' ? [{ value: '', label: t('announcements:fields.chooseCustomer') }, ...picker.customers.map((customer) => ({ value: customer.id, label: customer.name }))] : [],
      picker,
      customerReference: typeof req.body?.customerReference === 'string' ? req.body.customerReference : '',
      timeZone: tenantOf(req).timeZone,
    },
    status,
  );
}

/**
 * The form as sent, with the customer named by its number or tax id (the field the form has past
 * 200 customers) as its customerId, as if chosen from the list; none, or several, is the form's
 * error on that field (422). Only when the audience is a customer.
 */
export async function sentAnnouncementForm(req: Request): Promise<{ body: Record<string, unknown>; errors: Record<string, FieldError> }> {
  const body = (req.body ?? {}) as Record<string, unknown>;
  const reference = typeof body.customerReference === 'string' ? body.customerReference.trim() : '';
  if (body.audience !== 'customer' || reference === '') return { body, errors: {} };
  const scope = scopeOf(req);
  const customer = await customerOfReference(scope, reference.slice(0, 100), { isActiveOnly: false, narrowedBy: withVisibleAccounts(scope) });
  if (customer === 'none') return { body, errors: { customerId: { key: 'announcements:errors.noSuchCustomer' } } };
  if (customer === 'several') return { body, errors: { customerId: { key: 'announcements:errors.severalCustomers' } } };
  return { body: { ...body, customerId: String(customer.id) }, errors: {} };
}

import type { Request, Response } from 'express';
import { renderPage } from '../../lib/render.js';
import { scopeOf, tenantOf } from '../../middleware/context.js';
import { customersWithAccounts } from '../../models/account.js';
import type { Announcement } from '../../models/announcement.js';
import { listGroups } from '../../models/group.js';
import { announcementLabels, audienceLabels, type AnnouncementForm } from '../../presenters/announcements.js';
import { choicesOf } from '../../presenters/presentation.js';
import type { FieldError } from '../../validators/form.js';

/**
 * The new and edit forms of an announcement (C2), and their answers to a refused (422) or
 * conflicting (409) submission: the tenant's groups and the customers with accounts to choose from.
 */
export async function renderAnnouncementForm(req: Request, res: Response, page: { announcement?: Announcement; form: AnnouncementForm }, status: number, errors: Record<string, FieldError> = {}): Promise<void> {
  const scope = scopeOf(req);
  const [groups, customers] = await Promise.all([listGroups(scope), customersWithAccounts(scope)]);
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
      customers: [{ value: '', label: t('announcements:fields.chooseCustomer') }, ...customers.map((customer) => ({ value: customer.id, label: customer.name }))],
      timeZone: tenantOf(req).timeZone,
    },
    status,
  );
}

import type { Request, Response } from 'express';
import { scopeOf } from '../middleware/context.js';
import { pageFrom } from '../lib/pagination.js';
import { renderPage } from '../lib/render.js';
import { listCaretakerChoices } from '../models/customer.js';
import { listTicketCategories } from '../models/ticket-category.js';
import { customerPicker } from '../models/customer-choices.js';
import { listTasks } from '../models/ticket-list.js';
import { customerPickerLinks, customerSearchOf, onlyMatchOf } from './customer-picker.js';
import { taskFilterChoices, taskFilterParameters, taskRow } from './task-list.js';
import { taskListQuery } from '../validators/ticket.js';

const perPage = 25;

/** Which list of tasks a page shows, and in whose words. */
export type TaskListPage = {
  list: Parameters<typeof listTasks>[1];
  route: string;
  /** The i18n keys of its heading and of its empty state. */
  heading: string;
  emptyKey: string;
  /** Whether it filters by caretaker (the admins' list of all tasks). */
  hasCaretakerFilter: boolean;
};

/**
 * Renders one of the task lists (T5): my tasks and the queue (staff), all tasks (admins), with their
 * filters and paging; `extras` are further data of the page's view (the queue's e-mail from unknown senders).
 */
export async function renderTaskList(req: Request, res: Response, page: TaskListPage, extras: Record<string, unknown> = {}, status = 200): Promise<void> {
  const scope = scopeOf(req);
  const filters = taskListQuery.parse(req.query);
  const parameters = taskFilterParameters(filters);
  const links = customerPickerLinks(req, page.route, parameters);
  const [{ rows, pagination }, categories, picker, staff] = await Promise.all([
    listTasks(scope, page.list, filters, pageFrom(req.query.page, perPage)),
    listTicketCategories(scope, { isActiveOnly: false, isOfficeMessageIncluded: true }),
    customerPicker(scope, { isActiveOnly: false, chosenId: filters.customer, search: customerSearchOf(req) }),
    page.hasCaretakerFilter ? listCaretakerChoices(scope) : Promise.resolve([]),
  ]);
  const onlyMatch = onlyMatchOf(picker);
  if (onlyMatch !== undefined) return res.redirect(links.hrefFor(onlyMatch));
  renderPage(res, 'staff/tasks/index', {
    title: res.locals.t(page.heading),
    heading: page.heading,
    route: page.route,
    rows: rows.map((row) => taskRow(row, req.locale)),
    pagination,
    filters,
    picker,
    ...links,
    choices: taskFilterChoices({ categories, staff: staff.map((person) => ({ id: person.id, name: person.name })), locale: req.locale }),
    filterParameters: parameters,
    hasFilters: Object.values(parameters).some((value) => value !== undefined),
    hasCaretakerFilter: page.hasCaretakerFilter,
    emptyKey: page.emptyKey,
    ...extras,
  }, status);
}

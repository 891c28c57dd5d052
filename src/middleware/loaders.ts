import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { Actor, Scope } from '../db/scope.js';
import { ForbiddenError } from '../lib/errors.js';
import { findAccount, type Account } from '../models/account.js';
import { findAnnouncement, type Announcement } from '../models/announcement.js';
import { findChangeRequest, type ChangeRequest } from '../models/change-request.js';
import { findCustomer, type Customer } from '../models/customer.js';
import { findImport, type DataImport } from '../models/data-import.js';
import { findGroup, type Group } from '../models/group.js';
import { findJob, type Job } from '../models/job.js';
import { findLedgerEntry, type LedgerEntry } from '../models/ledger.js';
import { findMailIntake, type MailIntake } from '../models/mail-intake.js';
import { findPurgeRequest, type PurgeRequest } from '../models/purge-request.js';
import { findDocument, type Document } from '../models/document.js';
import { findStoredFile, type StoredFile } from '../models/stored-file.js';
import { findTicket, type Ticket } from '../models/ticket.js';
import { findEditableTicketCategory, type EditableTicketCategory } from '../models/ticket-category-editing.js';
import { findCostLine, type CostLine } from '../models/ticket-cost-lines.js';
import { canAdminister } from '../policies/account.js';
import { can as canOnTicket, type TicketAction } from '../policies/ticket.js';
import { can as canOnCustomer, type CustomerAction } from '../policies/customer.js';
import { idParameter, scopeOf } from './context.js';

/** The records a route can load, by the name its controller reads them with (loaded(req, 'customer')). */
export type LoadedRecords = { customer: Customer; changeRequest: ChangeRequest; account: Account; group: Group; job: Job; document: Document; file: StoredFile; ticket: Ticket; mailIntake: MailIntake; ticketCategory: EditableTicketCategory; costLine: CostLine; ledgerEntry: LedgerEntry; dataImport: DataImport; announcement: Announcement; purgeRequest: PurgeRequest };
type RecordName = keyof LoadedRecords;

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Request {
      /** What the route's load steps found, through the actor (src/routes.ts). */
      loaded?: Partial<LoadedRecords>;
    }
  }
}

/**
 * A step of a route line: loading a record through the actor, asking the policy about it, or
 * checking a one-time link (middleware/one-time-links.ts).
 */
export type RecordStep = RequestHandler & { kind: 'load' | 'allow' | 'link'; description: string; loads?: RecordName; parameter?: string; action?: string };

type Definition<Name extends RecordName> = {
  parameter: string;
  find(scope: Scope, id: number): Promise<LoadedRecords[Name]>;
  /** What may be asked of the record, each with the policy's answer (and the message of a refusal). */
  actions: Record<string, { isAllowed(actor: Actor, record: LoadedRecords[Name]): boolean; messageKey?: string }>;
};

const onCustomer = (action: CustomerAction) => ({ isAllowed: (actor: Actor, customer: Customer) => canOnCustomer(actor, action, customer) });
const onTicket = (action: TicketAction, messageKey?: string) => ({ isAllowed: (actor: Actor, ticket: Ticket) => canOnTicket(actor, action, ticket), messageKey });

/**
 * Every record a route may load, with the URL parameter that names it, the model's finder (which
 * sees only what the actor may see: anything else is 404) and the policy's actions on it.
 */
const definitions: { [Name in RecordName]: Definition<Name> } = {
  customer: {
    parameter: 'customerId',
    find: findCustomer,
    actions: { view: onCustomer('view'), edit: onCustomer('edit'), deactivate: onCustomer('deactivate'), manageAccounts: onCustomer('manageAccounts') },
  },
  changeRequest: {
    parameter: 'requestId',
    find: findChangeRequest,
    actions: { decide: { isAllowed: (actor, request) => canOnCustomer(actor, 'decideChanges', request.customer) } },
  },
  account: {
    parameter: 'userId',
    find: findAccount,
    actions: { administer: { isAllowed: canAdminister, messageKey: 'accountsPanel:refused.administer' } },
  },
  group: { parameter: 'groupId', find: findGroup, actions: {} },
  job: { parameter: 'jobId', find: findJob, actions: {} },
  // Whoever sees a document or a file may open it; nothing else is done to them yet.
  document: { parameter: 'documentId', find: findDocument, actions: {} },
  file: { parameter: 'fileId', find: findStoredFile, actions: {} },
  ticket: {
    parameter: 'ticketId',
    find: findTicket,
    actions: { view: onTicket('view'), reply: onTicket('reply'), work: onTicket('work', 'tickets:refused.work'), take: onTicket('take', 'tickets:refused.take'), assign: onTicket('assign'), approve: onTicket('approve', 'tickets:refused.approve'), viewPricing: onTicket('viewPricing', 'pricing:refused.notYet') },
  },
  // A kept e-mail message (T9): only admins see any (models/visibility.ts); what they may do with it is its state's question (409).
  mailIntake: { parameter: 'intakeId', find: findMailIntake, actions: {} },
  // Only admins' routes load a category (their audience decides); the finder keeps to the tenant.
  ticketCategory: { parameter: 'categoryId', find: findEditableTicketCategory, actions: {} },
  // A ticket's cost line (T10): loaded after its ticket, whose policy decides; the controller checks it is that ticket's.
  costLine: { parameter: 'costLineId', find: findCostLine, actions: {} },
  // A ledger entry (M1): only admins' routes load one (their audience decides); what may be done to it is its state's question (409).
  ledgerEntry: { parameter: 'entryId', find: findLedgerEntry, actions: {} },
  // An import of CSV files (M7): the finder answers admins only (others: not found); nothing is done to one but reading it.
  dataImport: { parameter: 'importId', find: findImport, actions: {} },
  // An announcement (C2, C3): admins find every one of the tenant, a client only one meant for it and in force (else 404).
  announcement: { parameter: 'announcementId', find: findAnnouncement, actions: {} },
  // A purge request (D2): the finder answers admins and superadmins only (others: not found); who may decide it is the model's question (403, 409).
  purgeRequest: { parameter: 'purgeRequestId', find: findPurgeRequest, actions: {} },
};

function loadStep<Name extends RecordName>(name: Name): RecordStep {
  const definition = definitions[name];
  const step = async (req: Request, _res: Response, next: NextFunction) => {
    const record = await definition.find(scopeOf(req), idParameter(req, definition.parameter));
    req.loaded = { ...req.loaded, [name]: record };
    next();
  };
  return Object.assign(step, { kind: 'load' as const, description: `load ${name} :${definition.parameter}`, loads: name, parameter: definition.parameter });
}

/** Loads the record the URL names through the actor (404 when out of reach) for the route's controller. */
export const load: { [Name in RecordName]: RecordStep } = {
  customer: loadStep('customer'),
  changeRequest: loadStep('changeRequest'),
  account: loadStep('account'),
  group: loadStep('group'),
  job: loadStep('job'),
  document: loadStep('document'),
  file: loadStep('file'),
  ticket: loadStep('ticket'),
  mailIntake: loadStep('mailIntake'),
  ticketCategory: loadStep('ticketCategory'),
  costLine: loadStep('costLine'),
  ledgerEntry: loadStep('ledgerEntry'),
  dataImport: loadStep('dataImport'),
  announcement: loadStep('announcement'),
  purgeRequest: loadStep('purgeRequest'),
};

/**
 * Asks the policy whether the actor may do the action to the record the step before loaded: 403
 * when not. A route line that allows an action its record does not have stops the start.
 */
export function allow(action: string): RecordStep {
  const step = (req: Request, _res: Response, next: NextFunction) => {
    const name = lastLoaded(req);
    const record = req.loaded![name]!;
    const rule = (definitions[name].actions as Definition<typeof name>['actions'])[action];
    if (!rule) throw new Error(`${name} has no action ${action}`);
    if (!rule.isAllowed(scopeOf(req).actor, record as never)) throw new ForbiddenError(`may not ${action} ${name}`, { messageKey: rule.messageKey });
    next();
  };
  return Object.assign(step, { kind: 'allow' as const, description: `allow ${action}`, action });
}

function lastLoaded(req: Request): RecordName {
  const names = Object.keys(req.loaded ?? {}) as RecordName[];
  if (names.length === 0) throw new Error('allow() needs a load step before it');
  return names[names.length - 1]!;
}

/**
 * Checks a route's steps when the table is mounted: each allow follows a load whose record has
 * that action.
 * @throws Error naming the route and the step
 */
export function checkSteps(routeName: string, steps: readonly RecordStep[]): void {
  let current: RecordName | undefined;
  for (const step of steps) {
    if (step.kind === 'link') continue;
    if (step.loads) current = step.loads;
    else if (!current) throw new Error(`route ${routeName}: "${step.description}" comes before any load step`);
    else if (!(step.action! in definitions[current].actions)) throw new Error(`route ${routeName}: ${current} has no action ${step.action}`);
  }
}

/** A record the route's load step found. @throws Error when the route line has no such step (a programming error) */
export function loaded<Name extends RecordName>(req: Request, name: Name): LoadedRecords[Name] {
  const record = req.loaded?.[name];
  if (!record) throw new Error(`the route has no load.${name} step`);
  return record as LoadedRecords[Name];
}

export function isRecordStep(value: unknown): value is RecordStep {
  return typeof value === 'function' && ['load', 'allow', 'link'].includes((value as RecordStep).kind);
}

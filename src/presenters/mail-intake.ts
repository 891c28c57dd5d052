import { pipeline } from 'node:stream/promises';
import type { Request, Response } from 'express';
import { scopeOf } from '../middleware/context.js';
import { attachmentDisposition } from '../lib/file-names.js';
import { fileStoresFor } from '../lib/storage/index.js';
import { customerOfReference } from '../models/customer-choices.js';
import { rawOfIntake, type MailIntake, type MailIntakeStatus } from '../models/mail-intake.js';
import { mailIntakeFilingForm } from '../validators/mail-intake.js';
import { message, type Status, type Text, type Tone } from './presentation.js';

const tones: Record<MailIntakeStatus, Tone> = { received: 'info', filed: 'success', unmatched: 'waiting', failed: 'danger', discarded: 'neutral' };

/** The state of a kept e-mail message as a badge (T9). */
export function mailIntakeStatusBadge(status: MailIntakeStatus): Status {
  return { label: message(`mailIntake:statuses.${status}`), tone: tones[status] };
}

/** Why a message could not be filed: a known reason in the reader's words, anything else as it was recorded. */
export function mailIntakeErrorText(error: string | null): Text | null {
  if (error === null) return null;
  return error.startsWith('mailIntake:failures.') ? message(error) : error;
}

/**
 * Sends a kept e-mail message as it came (T9). Always a download (message/rfc822), never shown in
 * the browser: a stranger wrote it.
 */
export async function sendKeptMessage(req: Request, res: Response, intake: MailIntake): Promise<void> {
  const content = await rawOfIntake(scopeOf(req), fileStoresFor(req.deps.config), intake);
  res.setHeader('Content-Type', 'message/rfc822');
  res.setHeader('Content-Length', String(intake.rawSize));
  res.setHeader('Content-Disposition', attachmentDisposition(`message-${intake.id}.eml`));
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Cache-Control', 'private, no-store');
  res.setHeader('Content-Security-Policy', "default-src 'none'; sandbox");
  await pipeline(content, res);
}

/** Why a filing form was refused, for the page shown again (422): the message's key and what was typed. */
export type FilingProblem = { messageKey: string; reference?: string };

/**
 * The customer a message's filing form names (T9): the one chosen from the list, or the one whose
 * customer number or tax id was typed (a provider with many customers); or why it names none.
 */
export async function filingCustomerOf(req: Request): Promise<{ customerId: number } | { problem: FilingProblem }> {
  const form = mailIntakeFilingForm.safeParse(req.body);
  if (!form.success) return { problem: { messageKey: typeof req.body?.customerReference === 'string' ? 'mailIntake:errors.customerReference' : 'mailIntake:errors.customer' } };
  if ('customerId' in form.data) return { customerId: form.data.customerId };
  const reference = form.data.customerReference;
  const customer = await customerOfReference(scopeOf(req), reference, { isActiveOnly: true });
  if (customer === 'none') return { problem: { messageKey: 'mailIntake:errors.noSuchCustomer', reference } };
  if (customer === 'several') return { problem: { messageKey: 'mailIntake:errors.severalCustomers', reference } };
  return { customerId: customer.id };
}

/** A message's filing problem and what was typed, where it is the message the form was sent for. */
export function filingProblemOf(intakeId: number, problem: (FilingProblem & { intakeId: number }) | undefined): { problem?: string; reference?: string } {
  return problem?.intakeId === intakeId ? { problem: problem.messageKey, reference: problem.reference } : {};
}

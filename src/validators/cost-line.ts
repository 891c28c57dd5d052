import { z } from 'zod';
import { parseAmount, parseDecimal } from '../lib/money.js';
import { costLineKinds, quantityScale, type CostLineKind } from '../models/cost-line-totals.js';
import { findVatRate } from '../models/vat-rates.js';
import { requiredText } from './form.js';

/** The most decimals a quantity of each kind takes: hours to the hundredth (36 minutes is 0.6), parts to the thousandth (0.125 kg). */
export const quantityDecimals: Record<CostLineKind, number> = { labour: 2, part: quantityScale, fee: 2 };
/** Bounds that keep every product a safe integer: 10 000 units at 1 000 000.00 each. */
const maximumQuantityThousandths = 10_000_000;
const maximumUnitPriceMinor = 100_000_000;

/** The fields of the cost-line forms, as the user typed them (kept on a refusal). */
export const costLineFields = ['kind', 'description', 'quantity', 'unitPrice', 'vatRate', 'submissionKey', 'version', 'base'] as const;

/** The fields of a stored line's form that its version check merges after a conflict (validators/edit-merge.ts). */
export const costLineMergedFields = ['kind', 'description', 'quantity', 'unitPrice', 'vatRate'] as const;

const typed = z.string().trim().optional().default('');

/**
 * views/staff/ticket-cost-lines/new.ejs and edit.ejs, and the add form on the task page: the kind, a
 * description, the quantity (hours for labour; for a fee optional, one when left empty), the unit
 * price (the hourly rate, the part's price, the fee's amount) typed as people write money in the
 * tenant's currency, and a VAT rate of the tenant's list. Read exactly, without floats.
 */
export function costLineForm(currency: string) {
  return z
    .object({
      kind: z.enum(costLineKinds, { error: 'pricing:errors.kind' }),
      description: typed,
      quantity: typed,
      unitPrice: typed,
      vatRate: z.string({ error: 'pricing:errors.vatRate' }),
      submissionKey: z.uuid().optional().catch(undefined),
      version: z.coerce.number().int().positive().optional().catch(undefined),
    })
    // Every field is checked here, once the kind is known, so that one wrong field never hides another's message.
    .transform((form, context) => {
      const description = requiredText(200).safeParse(form.description);
      // The field's own issue, so that "too long" keeps its limit for the message.
      if (!description.success) context.addIssue({ ...description.error.issues[0]!, path: ['description'] } as z.core.$ZodRawIssue);
      const quantity = quantityOf(form.kind, form.quantity);
      const unitPrice = form.unitPrice === '' ? null : parseAmount(form.unitPrice, currency);
      if (typeof quantity === 'string') context.addIssue({ code: 'custom', path: ['quantity'], message: quantity });
      if (form.unitPrice === '') context.addIssue({ code: 'custom', path: ['unitPrice'], message: 'validation:required' });
      else if (unitPrice === null || unitPrice < 0 || unitPrice > maximumUnitPriceMinor) context.addIssue({ code: 'custom', path: ['unitPrice'], message: 'pricing:errors.amount' });
      const isRateKnown = findVatRate(currency, form.vatRate) !== undefined;
      if (!isRateKnown) context.addIssue({ code: 'custom', path: ['vatRate'], message: 'pricing:errors.vatRate' });
      if (typeof quantity === 'string' || unitPrice === null || unitPrice < 0 || unitPrice > maximumUnitPriceMinor || !isRateKnown || !description.success) return z.NEVER;
      return { kind: form.kind, description: description.data, quantityThousandths: quantity, unitPriceMinor: unitPrice, vatRate: form.vatRate, submissionKey: form.submissionKey ?? null, version: form.version };
    });
}

/** The quantity in thousandths, or the message key of what is wrong with it. */
function quantityOf(kind: CostLineKind, text: string): number | string {
  if (text === '') return kind === 'fee' ? 10 ** quantityScale : 'validation:required';
  const decimal = parseDecimal(text, quantityDecimals[kind]);
  if (!decimal) return kind === 'labour' ? 'pricing:errors.hours' : 'pricing:errors.quantity';
  const thousandths = decimal.digits * 10n ** BigInt(quantityScale - decimal.scale);
  if (thousandths <= 0n || thousandths > BigInt(maximumQuantityThousandths)) return 'pricing:errors.quantityRange';
  return Number(thousandths);
}

/** The remove button of a line on the task page: the version the page showed. */
export const costLineRemovalForm = z.object({ version: z.coerce.number().int().positive() });

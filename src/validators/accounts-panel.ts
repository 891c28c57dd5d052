import { z } from 'zod';
import { staffRoles, roles } from '../db/scope.js';
import { accountSortKeys, type AccountFilters, type StaffAccountInput } from '../models/account.js';
import { isSharedEmailConfirmed } from '../models/shared-email.js';
import { accountPersonFields, checkFirstPassword } from './fields.js';
import { maximumFieldLength } from './form.js';

export const accountTypes = ['staff', 'client'] as const;
export const accountStates = ['active', 'invited', 'invitationExpired', 'locked', 'deactivated'] as const;
export const sortDirections = ['asc', 'desc'] as const;
export const passwordChoices = ['invitation', 'password'] as const;

/** An empty select ("any") or a value the list does not know both mean "no filter", never an error page. */
const optionalChoice = <Values extends readonly [string, ...string[]]>(values: Values) =>
  z.preprocess((value) => ((values as readonly unknown[]).includes(value) ? value : undefined), z.enum(values).optional());

const optionalId = z.preprocess((value) => {
  const number = Number(value);
  return typeof value === 'string' && Number.isInteger(number) && number > 0 && number < 2 ** 31 ? number : undefined;
}, z.number().optional());

/** The filters of views/admin/accounts/index.ejs (a GET form: bad values are dropped, not refused). */
export const accountFiltersQuery = z.object({
  type: optionalChoice(accountTypes),
  role: optionalChoice(roles),
  customer: optionalId,
  group: optionalId,
  state: optionalChoice(accountStates),
  search: z.preprocess((value) => (typeof value === 'string' ? value.trim().slice(0, 100) : ''), z.string()),
  sort: optionalChoice(accountSortKeys).transform((value) => value ?? 'name'),
  direction: optionalChoice(sortDirections).transform((value) => value ?? 'asc'),
});

/** The filters of a request, never failing: a hand-edited address still lists accounts. */
export function accountFiltersFrom(query: unknown): AccountFilters {
  return accountFiltersQuery.parse(query ?? {});
}


/** views/admin/accounts/new.ejs: a staff account with either a password now or an invitation by e-mail. */
export const staffAccountCreateForm = z
  .object({
    ...accountPersonFields({ login: 'validation:loginInvalid', email: 'accountsPanel:form.emailInvalid', phone: 'accountsPanel:form.phoneInvalid' }),
    role: z.enum(staffRoles as unknown as readonly ['caretaker', 'admin', 'superadmin'], { error: 'accountsPanel:form.roleRequired' }),
    passwordChoice: z.enum(passwordChoices, { error: 'accountsPanel:form.passwordChoiceRequired' }),
    newPassword: z.string().max(maximumFieldLength, 'validation:tooLong').optional(),
    passwordConfirmation: z.string().max(maximumFieldLength, 'validation:tooLong').optional(),
    confirmSharedEmail: z.unknown().optional(),
  })
  .superRefine((form, context) => {
    if (form.passwordChoice === 'invitation') {
      if (!form.email) context.addIssue({ code: 'custom', path: ['email'], message: 'accountsPanel:form.emailNeededForInvitation' });
      return;
    }
    checkFirstPassword(context, form.newPassword, form.passwordConfirmation);
  })
  .transform(({ passwordChoice, newPassword, passwordConfirmation: _confirmation, confirmSharedEmail, ...account }): StaffAccountInput => ({
    ...account,
    password: passwordChoice === 'password' ? (newPassword ?? null) : null,
    isSharedEmailConfirmed: isSharedEmailConfirmed(confirmSharedEmail, account.email),
  }));
export const staffAccountFields = ['login', 'firstName', 'lastName', 'email', 'phone', 'role', 'passwordChoice', 'confirmSharedEmail'] as const;

/** The role form on views/admin/accounts/show.ejs. */
export const roleChangeForm = z.object({ role: z.enum(roles, { error: 'accountsPanel:form.roleRequired' }) });

/** Ticked ids; anything that is not an id could not name an account, so it is dropped like an unknown id. */
const idList = z.preprocess(
  (value) => (Array.isArray(value) ? value : value === undefined ? [] : [value])
    .filter((id): id is string => typeof id === 'string' && /^\d{1,10}$/.test(id))
    .map(Number)
    .filter((id) => id > 0 && id < 2 ** 31),
  z.array(z.number()).refine((ids) => ids.length <= 100, 'accountsPanel:groupMove.tooMany'),
);

/** The bulk move under the account list: the ticked accounts and the group they go to. */
export const groupMoveForm = z.object({
  ids: idList.refine((ids) => ids.length > 0, 'accountsPanel:groupMove.nothingSelected'),
  groupId: z.preprocess((value) => optionalId.parse(value), z.number({ error: 'accountsPanel:groupMove.groupRequired' })),
  returnTo: z.string().max(500).optional(),
});

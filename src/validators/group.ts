import { z } from 'zod';
import { requiredText } from './form.js';

/** The longest group name the groups table holds. */
export const maximumGroupNameLength = 100;
export const portalAccessChoices = ['inherit', 'on', 'off'] as const;
export type PortalAccessChoice = (typeof portalAccessChoices)[number];

/** views/admin/groups/index.ejs: the new-group form. */
export const groupCreateForm = z.object({ name: requiredText(maximumGroupNameLength) });

/**
 * views/admin/groups/edit.ejs: the name (absent for CLIENTS, which keeps its name) and the
 * group's portal-access override (D5); a missing override leaves the stored one as it is.
 */
export const groupEditForm = z.object({
  name: requiredText(maximumGroupNameLength).optional(),
  portalAccess: z.enum(portalAccessChoices, { error: 'groups:portalAccess.invalid' }).optional(),
});

/** The deletion form on views/admin/groups/edit.ejs: deleting needs the box ticked. */
export const groupDeletionForm = z.object({
  confirmation: z.literal('yes', { error: 'groups:deletion.confirmationRequired' }),
});

import { z } from 'zod';
import { requiredText } from './form.js';

/** views/auth/password-reset-new.ejs: the account is named by its login or its e-mail address. */
export const passwordResetRequestForm = z.object({ loginOrEmail: requiredText() });

/** views/auth/password-reset-edit.ejs has the fields and rules of the set-password form. */
export { passwordSetupForm as passwordResetForm } from './auth.js';

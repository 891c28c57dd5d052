import { z } from 'zod';

/** views/staff/notification-settings/edit.ejs */
export const notificationSettingsForm = z.object({
  changeRequests: z.enum(['on', 'off'], { error: 'notifications:errors.choose' }),
});

export const notificationSettingsFields = ['changeRequests'] as const;

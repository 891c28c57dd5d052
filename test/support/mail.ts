import { renderMail } from '../../src/lib/mail-templates.js';
import type { MailMessage } from '../../src/lib/mail.js';
import type { TestEnvironment } from './environment.js';

/**
 * The latest e-mail queued for an address, after the outbox has been sent (env.deliverMail()).
 * On MySQL every test file shares one outbox, so another file's sender may have sent it: then it
 * is not in this file's env.mailer.sent and is rendered from its row exactly as the sender did.
 */
export async function latestMailTo(env: TestEnvironment, address: string): Promise<MailMessage> {
  await env.deliverMail();
  const row = await env.db('outbox').where('recipient', address).orderBy('id', 'desc').first();
  if (!row) throw new Error(`no e-mail to ${address} in the outbox`);
  const rendered = renderMail(env.deps.i18n, { to: address, locale: String(row.locale), template: String(row.template), data: JSON.parse(String(row.data)) });
  return env.mailer.sent.find((mail) => mail.to === address && mail.text === rendered.text) ?? rendered;
}

/** The path of the first link to this app in an e-mail's text (/slug/invitations/…), without the base URL. */
export function linkPathIn(mail: MailMessage, baseUrl: string): string {
  const match = new RegExp(`${baseUrl.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(/\\S+)`).exec(mail.text);
  if (!match) throw new Error(`no link in the e-mail “${mail.subject}”`);
  return match[1]!;
}

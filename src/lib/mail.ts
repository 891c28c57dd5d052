import { createRequire } from 'node:module';
import type Nodemailer from 'nodemailer';
import type { Transporter } from 'nodemailer';
import type { Logger } from './logger.js';

export type MailMessage = { to: string; subject: string; text: string; html?: string };

export type Mailer = {
  send(message: MailMessage): Promise<void>;
  /** What was sent through the built-in JSON transport (development and tests); empty with SMTP. */
  readonly sent: readonly MailMessage[];
  close(): void;
};

/**
 * Mail through nodemailer. With an SMTP URL it goes to that server; without one it goes through
 * nodemailer's JSON transport and is written to the log, so links still reach whoever runs the app.
 */
export function createMailer(options: { smtpUrl: string | undefined; from: string; logger: Logger }): Mailer {
  // nodemailer (about 0.2 s to load) is loaded with the first message, not at every process start.
  let transport: Transporter | undefined;
  const transportNow = (): Transporter => {
    if (!transport) {
      const nodemailer = createRequire(import.meta.url)('nodemailer') as typeof Nodemailer;
      transport = options.smtpUrl ? nodemailer.createTransport(options.smtpUrl) : nodemailer.createTransport({ jsonTransport: true });
    }
    return transport;
  };
  const sent: MailMessage[] = [];
  return {
    sent,
    async send(message) {
      await transportNow().sendMail({ from: options.from, ...message });
      if (!options.smtpUrl) {
        sent.push({ ...message });
        // Kept for tests and the development log only: never let it grow without bound.
        if (sent.length > 500) sent.splice(0, sent.length - 500);
        options.logger.info({ mail: { to: message.to, subject: message.subject, text: message.text } }, 'e-mail (no SMTP_URL set, so it is only logged)');
      }
    },
    close() {
      transport?.close();
    },
  };
}

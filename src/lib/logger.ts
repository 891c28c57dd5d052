import { pino, type Logger } from 'pino';

export type { Logger };

/** Paths whose values never reach the log. */
export const redactedPaths = [
  'req.headers.cookie',
  'req.headers.authorization',
  'req.headers["x-csrf-token"]',
  'res.headers["set-cookie"]',
  'password',
  '*.password',
  '*.currentPassword',
  '*.newPassword',
  '*.passwordConfirmation',
  '*._csrf',
  'token',
  '*.token',
  'sessionSecret',
  '*.sessionSecret',
];

/** Token-bearing URL segments are masked before a URL is logged. */
export function redactUrl(url: string): string {
  return url.replace(/\/(password-setup|invitations|password-resets)\/[^/?#]+/g, '/$1/[REDACTED]');
}

export function createLogger(options: { level: string; pretty?: boolean }): Logger {
  return pino({
    level: options.level,
    redact: { paths: redactedPaths, censor: '[REDACTED]' },
  });
}

import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { parseImapMailboxes, type ImapMailbox } from './lib/imap-mailboxes.js';
import { defaultDataDirectory } from './lib/paths.js';

/**
 * The environment variables eBOK reads, with what each one means.
 * docker-compose.yml and .env.example must name every one of them (a test checks).
 */
export const configVariables = [
  'PORT',
  'DATABASE_URL',
  'SESSION_SECRET',
  'NODE_ENV',
  'BASE_URL',
  'TRUST_PROXY',
  'SMTP_URL',
  'LOG_LEVEL',
  'BCRYPT_COST',
  'WEB_CONCURRENCY',
  'DEMO_PASSWORD',
  'DATA_DIR',
  'RUN_JOBS',
  'FILES_DIR',
  'IMAP_URL',
] as const;

const emptyAsUndefined = (value: unknown) => (value === '' ? undefined : value);

const integer = (min: number, max: number, fallback: number) =>
  z.preprocess(
    emptyAsUndefined,
    z.coerce
      .number({ error: `must be a whole number between ${min} and ${max}` })
      .int(`must be a whole number between ${min} and ${max}`)
      .min(min, `must be a whole number between ${min} and ${max}`)
      .max(max, `must be a whole number between ${min} and ${max}`)
      .default(fallback),
  );

/** TRUST_PROXY takes what Express's "trust proxy" setting takes: true/false, a hop count, or addresses. */
const trustProxy = z.preprocess(
  emptyAsUndefined,
  z
    .string()
    .default('false')
    .transform((value): boolean | number | string => {
      if (value === 'true') return true;
      if (value === 'false') return false;
      if (/^\d+$/.test(value)) return Number(value);
      return value;
    }),
);

const urlWithProtocol = (protocols: string[], message: string) =>
  z.preprocess(
    emptyAsUndefined,
    z
      .string()
      .refine((value) => {
        try {
          return protocols.includes(new URL(value).protocol);
        } catch {
          return false;
        }
      }, message)
      .optional(),
  );

const environmentSchema = z.object({
  PORT: integer(1, 65535, 3000),
  DATABASE_URL: urlWithProtocol(['mysql:', 'mysql2:'], 'must be a mysql://user:password@host:port/database URL (leave it empty for SQLite)'),
  SESSION_SECRET: z.preprocess(emptyAsUndefined, z.string().min(32, 'must be at least 32 characters long').optional()),
  NODE_ENV: z.preprocess(
    emptyAsUndefined,
    z.enum(['development', 'production', 'test'], { error: 'must be development, production or test' }).default('development'),
  ),
  BASE_URL: urlWithProtocol(['http:', 'https:'], 'must be an http:// or https:// URL, such as https://ebok.example.com'),
  TRUST_PROXY: trustProxy,
  SMTP_URL: urlWithProtocol(['smtp:', 'smtps:'], 'must be an smtp:// or smtps:// URL'),
  LOG_LEVEL: z.preprocess(
    emptyAsUndefined,
    z
      .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
        error: 'must be one of fatal, error, warn, info, debug, trace, silent',
      })
      .default('info'),
  ),
  BCRYPT_COST: integer(4, 15, 12),
  WEB_CONCURRENCY: integer(1, 64, 1),
  DEMO_PASSWORD: z.preprocess(emptyAsUndefined, z.string().min(8, 'must be at least 8 characters long').default('demo1234')),
  DATA_DIR: z.preprocess(emptyAsUndefined, z.string().optional()),
  RUN_JOBS: z.preprocess(emptyAsUndefined, z.enum(['true', 'false'], { error: 'must be true or false' }).default('true')),
  FILES_DIR: z.preprocess(emptyAsUndefined, z.string().optional()),
  IMAP_URL: z.preprocess(
    emptyAsUndefined,
    z
      .string()
      .optional()
      .superRefine((value, context) => {
        try {
          parseImapMailboxes(value);
        } catch (error) {
          context.addIssue({ code: 'custom', message: (error as Error).message });
        }
      }),
  ),
});

export type Config = Readonly<{
  port: number;
  databaseUrl: string | undefined;
  sessionSecret: string;
  nodeEnv: 'development' | 'production' | 'test';
  isProduction: boolean;
  baseUrl: string;
  trustProxy: boolean | number | string;
  smtpUrl: string | undefined;
  logLevel: string;
  bcryptCost: number;
  webConcurrency: number;
  demoPassword: string;
  /**
   * Whether admins may read the outbox in the page (controllers/mailbox.ts): only in development and
   * tests, and only while no mail server is set, when the outbox is the one place messages can be read.
   */
  hasDevelopmentMailbox: boolean;
  /** Whether `npm start` runs background jobs too (else only `npm run worker` does). */
  runsJobs: boolean;
  /** The sender of the e-mail eBOK sends: no-reply at the host of BASE_URL. */
  mailFrom: string;
  /** Where SQLite (ebok.sqlite) and the generated development secret live. */
  dataDirectory: string;
  sqliteFile: string;
  /** Where uploaded files are kept when FILES_DIR is set (absolute); without it, in the database. */
  filesDirectory: string | undefined;
  /** The mailboxes the IMAP poller reads, each for one tenant (IMAP_URL; none without it). */
  imapMailboxes: readonly ImapMailbox[];
}>;

export class ConfigError extends Error {}

const secretBearing = new Set(['SESSION_SECRET', 'DATABASE_URL', 'SMTP_URL', 'IMAP_URL']);

/**
 * Parses the environment once into a frozen Config.
 * @param env the variables to read (process.env in server.ts and the CLI)
 * @param options.dataDirectory where SQLite and the generated development secret live unless DATA_DIR says otherwise
 * @throws ConfigError with one line naming the variable that is wrong
 */
export function loadConfig(env: Record<string, string | undefined>, options: { dataDirectory: string }): Config {
  const parsed = environmentSchema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const name = String(issue.path[0]);
    // Values that may hold a password or the secret are never repeated back.
    const shown = env[name] === undefined || secretBearing.has(name) ? '' : ` (got "${env[name]}")`;
    throw new ConfigError(`Configuration error: ${name} ${issue.message}${shown}`);
  }
  const values = parsed.data;
  const dataDirectory = values.DATA_DIR ? path.resolve(values.DATA_DIR) : options.dataDirectory;
  const isProduction = values.NODE_ENV === 'production';
  const baseUrl = (values.BASE_URL ?? `http://localhost:${values.PORT}`).replace(/\/+$/, '');
  if (isProduction && !values.SESSION_SECRET) {
    throw new ConfigError('Configuration error: SESSION_SECRET is required in production (at least 32 random characters)');
  }
  if (isProduction && !values.BASE_URL) {
    throw new ConfigError('Configuration error: BASE_URL is required in production (the public address, used in e-mailed links)');
  }
  // "true" would believe any X-Forwarded-For a client sends, and so any IP in the throttle and the audit log.
  if (isProduction && values.TRUST_PROXY === true) {
    throw new ConfigError('Configuration error: TRUST_PROXY must be a hop count (such as 1) or the proxy addresses in production, not true');
  }
  return Object.freeze({
    port: values.PORT,
    databaseUrl: values.DATABASE_URL,
    sessionSecret: values.SESSION_SECRET ?? developmentSecret(dataDirectory),
    nodeEnv: values.NODE_ENV,
    isProduction,
    baseUrl,
    trustProxy: values.TRUST_PROXY,
    smtpUrl: values.SMTP_URL,
    logLevel: values.LOG_LEVEL,
    bcryptCost: values.BCRYPT_COST,
    webConcurrency: values.WEB_CONCURRENCY,
    demoPassword: values.DEMO_PASSWORD,
    hasDevelopmentMailbox: !isProduction && !values.SMTP_URL,
    runsJobs: values.RUN_JOBS === 'true',
    mailFrom: `eBOK <no-reply@${new URL(baseUrl).hostname}>`,
    dataDirectory,
    sqliteFile: path.join(dataDirectory, 'ebok.sqlite'),
    filesDirectory: values.FILES_DIR ? path.resolve(values.FILES_DIR) : undefined,
    imapMailboxes: Object.freeze(parseImapMailboxes(values.IMAP_URL)),
  });
}

/**
 * The configuration of a process (server, worker): a wrong value stops it with one line naming
 * the variable and exit code 1.
 */
export function loadConfigOrExit(): Config {
  try {
    return loadConfig(process.env, { dataDirectory: defaultDataDirectory });
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(error.message);
    return process.exit(1);
  }
}

/** Outside production a secret is generated on the first start and kept, so sessions survive restarts. */
function developmentSecret(dataDirectory: string): string {
  const file = path.join(dataDirectory, 'session-secret');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(dataDirectory, { recursive: true });
  const secret = randomBytes(32).toString('hex');
  writeFileSync(file, secret, { mode: 0o600 });
  return secret;
}

import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from '../config.js';
import { createDatabase } from '../db/knex.js';
import { migrateToLatest } from '../db/migrations.js';
import { createLogger } from '../lib/logger.js';
import { createMailer } from '../lib/mail.js';
import { defaultDataDirectory, localesDirectory } from '../lib/paths.js';
import { createI18n } from '../lib/i18n.js';
import { systemClock } from '../lib/time.js';
import { jobContextOn } from '../jobs/kind.js';
import { createJobRunner } from '../jobs/runner.js';
import { openSystemWork } from '../db/installation.js';
import { createLinks, createPathTo } from '../lib/urls.js';
import { createTenant } from '../models/tenant.js';
import { verifyAuditCommand } from './audit.js';
import { describeRoutes, routeTable } from '../routes.js';
import { tenantCreateCommand } from '../validators/tenant.js';
import { ConflictError } from '../lib/errors.js';

const usage = `Usage: npm run cli -- <command> [options]

Commands:
  migrate                      bring the database schema up to date
  routes                       print the route table, one JSON object per line
  tenant:create --slug SLUG --name NAME --admin-login LOGIN --admin-email EMAIL
                --admin-first-name FIRST --admin-last-name LAST [--locale pl|en]
                               create a tenant with its CLIENTS group and a first superadmin (the
                               owner, by name), and print a one-time link to set that superadmin's password
  audit:verify --tenant SLUG   check the tenant's audit chain and name the first entry that was
                               edited, removed, inserted or moved; exit code 0 when intact,
                               1 when broken, 2 for an unknown tenant
  mail:ingest --tenant SLUG < message.eml
                               take one raw e-mail message into the tenant: a ticket from a client's
                               address, a reply when the subject has a ticket's tag, kept for admins
                               otherwise; exit code 0 when filed or kept, 1 when it could not be
                               filed (kept as failed), 2 for an unknown tenant
  import --tenant SLUG --kind customers|invoices|payments FILE [--dry-run]
                               import a CSV file of the accounting system (docs/import-export.md), all
                               or nothing, printing progress; exit code 0 when imported (or, with
                               --dry-run, when it would be), 1 for bad rows or an unreadable file (nothing
                               written), 2 for bad usage or an unknown tenant`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === 'routes') {
    for (const line of describeRoutes(routeTable())) console.log(JSON.stringify(line));
    return 0;
  }
  if (command === 'migrate') return migrate();
  if (command === 'tenant:create') return createTenantCommand(rest);
  if (command === 'audit:verify') return verifyAuditCommand(rest, config(), usage);
  // Loaded only for this command: mailparser and its HTML converter would slow every other command's start.
  if (command === 'mail:ingest') return (await import('./mail-ingest.js')).ingestMailCommand(rest, config(), usage);
  if (command === 'import') return (await import('./import.js')).importCommand(rest, config(), usage);
  console.error(command ? `Unknown command: ${command}\n\n${usage}` : usage);
  return command ? 2 : 0;
}

function config() {
  return loadConfig(process.env, { dataDirectory: defaultDataDirectory });
}

async function migrate(): Promise<number> {
  const settings = config();
  const db = createDatabase({ databaseUrl: settings.databaseUrl, sqliteFile: settings.sqliteFile });
  try {
    const applied = await migrateToLatest(db);
    console.log(applied.length ? `Applied ${applied.length} migration(s):\n  ${applied.join('\n  ')}` : 'The database is up to date.');
    return 0;
  } finally {
    await db.destroy();
  }
}

async function createTenantCommand(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      slug: { type: 'string' },
      name: { type: 'string' },
      'admin-login': { type: 'string' },
      'admin-email': { type: 'string' },
      'admin-first-name': { type: 'string' },
      'admin-last-name': { type: 'string' },
      locale: { type: 'string' },
    },
  });
  const parsed = tenantCreateCommand.safeParse({
    slug: values.slug,
    name: values.name,
    adminLogin: values['admin-login'],
    adminEmail: values['admin-email'],
    adminFirstName: values['admin-first-name'],
    adminLastName: values['admin-last-name'],
    locale: values.locale,
  });
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const option = String(issue.path[0]).replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`);
    console.error(`--${option} ${issue.message === 'Invalid input: expected string, received undefined' ? 'is required' : issue.message}\n\n${usage}`);
    return 2;
  }
  const settings = config();
  const logger = createLogger({ level: settings.logLevel });
  const db = createDatabase({ databaseUrl: settings.databaseUrl, sqliteFile: settings.sqliteFile });
  const mailer = createMailer({ smtpUrl: settings.smtpUrl, from: settings.mailFrom, logger });
  try {
    await migrateToLatest(db);
    const input = parsed.data;
    const pathTo = createPathTo(routeTable());
    const { tenant, setupLink } = await createTenant(
      openSystemWork(db, systemClock, 'cli tenant:create'),
      { slug: input.slug, name: input.name, defaultLocale: input.locale, admin: { login: input.adminLogin, email: input.adminEmail, firstName: input.adminFirstName, lastName: input.adminLastName } },
      { bcryptCost: settings.bcryptCost, links: createLinks(pathTo, settings.baseUrl) },
    );
    // The e-mail was queued with the tenant; send it now (with whatever else is due) rather than wait for a worker.
    await createJobRunner(jobContextOn(db, { mailer, i18n: createI18n(localesDirectory), logger, clock: systemClock, forgetsLinks: settings.isProduction, filesDirectory: settings.filesDirectory })).runDue();
    console.log(`Created tenant "${tenant.name}" at ${createLinks(pathTo, settings.baseUrl).absolute('auth.sessions.new', { tenant: tenant.slug })}`);
    console.log(`Superadmin: ${input.adminFirstName} ${input.adminLastName}, login ${input.adminLogin.toLowerCase()}`);
    console.log(`Set the password (one-time link, valid 7 days): ${setupLink}`);
    return 0;
  } catch (error) {
    if (error instanceof ConflictError) {
      console.error(`A tenant with the slug "${parsed.data.slug}" already exists.`);
      return 1;
    }
    throw error;
  } finally {
    mailer.close();
    await db.destroy();
  }
}

main(process.argv.slice(2))
  .then((code) => process.exit(code))
  .catch((error: unknown) => {
    console.error(error instanceof ConfigError ? error.message : error);
    process.exit(1);
  });

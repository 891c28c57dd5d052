import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from '../src/config.js';
import { createDatabase } from '../src/db/knex.js';
import { migrateToLatest } from '../src/db/migrations.js';
import { defaultDataDirectory } from '../src/lib/paths.js';
import { SeedRefusedError, seedLarge, type LargeSeedSummary } from './large.js';

const usage = `Usage: npm run seed:large -- [--scale 1] [--reset] [--password PASSWORD]

Fills the configured database (DATABASE_URL, or the SQLite file of DATA_DIR), migrated first,
with the tenants the benchmark measures (issue 20):
  large     100,000 customers, about 2,000,000 ledger entries with their allocations, 500,000
            tickets with about 1,300,000 messages (every 50th ticket has 20), one caretaker a
            1,000 customers, portal accounts for about 70% of the customers
  small-a   36 customers, small-b 24 customers (not scaled)
Logins of each (all with the one password): owner (superadmin), admin, caretaker1…caretakerN,
client1…clientM (each an account of an active customer).

  --scale N         multiply the large tenant's counts (0.1 is 10,000 customers; 0.001 works)
  --reset           remove the three tenants first when they exist (all their rows); without
                    it a run refuses when any of them exists, and changes nothing
  --password TEXT   the password of every login (default: DEMO_PASSWORD, demo1234), hashed once
                    with BCRYPT_COST`;

/** `npm run seed:large`: exit code 0 when seeded, 1 when refused or failed, 2 for bad usage. */
async function main(argv: string[]): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({ args: argv, options: { scale: { type: 'string', default: '1' }, reset: { type: 'boolean', default: false }, password: { type: 'string' }, help: { type: 'boolean', default: false } } }));
  } catch (error) {
    console.error(`${(error as Error).message}\n\n${usage}`);
    return 2;
  }
  if (values.help) {
    console.log(usage);
    return 0;
  }
  const scale = Number(values.scale);
  if (!(scale > 0 && scale <= 10)) {
    console.error(`--scale must be a number above 0 and at most 10\n\n${usage}`);
    return 2;
  }
  const config = loadConfig(process.env, { dataDirectory: defaultDataDirectory });
  if (config.isProduction) {
    // Every seeded login has one known password, and --reset removes whole tenants by their slug.
    console.error('seed:large refuses to run with NODE_ENV=production: its logins share a known password and --reset removes the tenants large, small-a and small-b whoever made them');
    return 1;
  }
  const db = createDatabase({ databaseUrl: config.databaseUrl, sqliteFile: config.sqliteFile, poolMax: 4 });
  try {
    await migrateToLatest(db);
    console.log(`seeding ${config.databaseUrl ? 'MySQL' : `SQLite (${config.sqliteFile})`} at scale ${scale}`);
    const password = values.password ?? config.demoPassword;
    const summary = await seedLarge(db, { scale, password, bcryptCost: config.bcryptCost, isReset: values.reset, onProgress: (line) => console.log(line) });
    printSummary(summary);
    return 0;
  } catch (error) {
    if (!(error instanceof SeedRefusedError)) throw error;
    console.error(error.message);
    return 1;
  } finally {
    await db.destroy();
  }
}

function printSummary(summary: LargeSeedSummary): void {
  const total = Object.values(summary.counts).reduce((sum, count) => sum + count, 0);
  console.log(`\nseeded in ${summary.seconds.toFixed(1)} s: ${total.toLocaleString('en-US')} rows, ${Math.round(total / summary.seconds).toLocaleString('en-US')} rows/s`);
  for (const [table, count] of Object.entries(summary.counts)) console.log(`  ${table.padEnd(20)} ${count.toLocaleString('en-US').padStart(12)}`);
  console.log(`\nlogins (/${summary.slug}/login; ${summary.smallSlugs.map((slug) => `/${slug}/login`).join(', ')} have the same pattern):`);
  console.log(`  owner (superadmin), admin, caretaker1…caretaker${summary.logins.caretakers}, client1…client${summary.logins.clients}`);
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof ConfigError ? error.message : error);
    process.exit(1);
  },
);

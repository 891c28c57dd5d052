import { createDatabase } from './src/db/knex.js';
import { migrateToLatest } from './src/db/migrations.js';
import { seedDemo } from './seeds/demo.js';
const db = createDatabase({ databaseUrl: undefined, sqliteFile: ':memory:' } as any);
await migrateToLatest(db);
await seedDemo(db, { password: 'demo1234', bcryptCost: 4 });
console.log(await db('audit_log').select('tenant_id','sequence','actor_id','action','subject_type','subject_id','details'));
await db.destroy();

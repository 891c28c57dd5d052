import type { Knex } from 'knex';

/**
 * Background jobs (src/jobs/): a kind, its payload, when it may run, its attempts, the lease of
 * the worker running it and the last error. A job belongs to a tenant (its e-mail, say) or is
 * system work (tenant_id null, such as housekeeping). `unique_key` makes an enqueue idempotent:
 * scheduled work is enqueued once per period however many processes ask. It is unique on its
 * own because a key with a null tenant would not be unique on either database; the model puts
 * the tenant at the front of the key of a tenant's job. Messages still waiting in the outbox
 * get a job each, so the runner sends them.
 */
export async function up(knex: Knex): Promise<void> {
  // MySQL commits the CREATE at once: a run that failed after it finds the table there, and its jobs.
  if (!(await knex.schema.hasTable('jobs'))) await createJobsTable(knex);
  const queued = new Set((await knex('jobs').where('kind', 'mail.send').select('payload')).map((job: { payload: string }) => Number((JSON.parse(job.payload) as { outboxId: number }).outboxId)));
  const waiting: Array<{ id: number; tenant_id: number; next_attempt_at: string; created_at: string; attempts: number }> = await knex('outbox')
    .whereIn('status', ['pending', 'sending'])
    .select('id', 'tenant_id', 'next_attempt_at', 'created_at', 'attempts');
  for (const message of waiting.filter((candidate) => !queued.has(Number(candidate.id)))) {
    await knex('jobs').insert({
      tenant_id: message.tenant_id,
      kind: 'mail.send',
      payload: JSON.stringify({ outboxId: Number(message.id) }),
      status: 'pending',
      run_at: message.next_attempt_at,
      attempts: message.attempts,
      created_at: message.created_at,
    });
  }
  await knex('outbox').where('status', 'sending').update({ status: 'pending', claim: null });
}

async function createJobsTable(knex: Knex): Promise<void> {
  await knex.schema.createTable('jobs', (table) => {
    table.increments('id');
    table.integer('tenant_id').unsigned().nullable().references('id').inTable('tenants').onDelete('CASCADE');
    table.string('kind', 64).notNullable();
    table.text('payload').notNullable();
    table.string('unique_key', 191).nullable().unique();
    table.string('status', 10).notNullable().defaultTo('pending');
    table.datetime('run_at').notNullable();
    table.integer('attempts').notNullable().defaultTo(0);
    table.string('lease_owner', 36).nullable();
    table.datetime('lease_until').nullable();
    table.string('last_error', 500).nullable();
    table.datetime('created_at').notNullable();
    table.datetime('finished_at').nullable();
    table.index(['status', 'run_at']);
    table.index(['tenant_id', 'status', 'finished_at']);
  });
}

/** The outbox keeps every message: messages still waiting stay pending there. */
export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('jobs');
}

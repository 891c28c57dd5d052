import { expect, it } from 'vitest';
import type { Knex } from 'knex';
import { toDatabaseTime } from '../../src/lib/time.js';
import { enqueueMail } from '../../src/models/outbox.js';
import type { Tenant } from '../../src/models/tenant.js';
import { describeOnEachDatabase } from '../support/environment.js';
import { makeTenant, makeUser, scopeFor } from '../support/factories.js';
import { csrfTokenFrom, signedInAgent, type Agent } from '../support/http.js';

/** A message whose job has failed for good, as the runner leaves it after its last attempt. */
async function failedMail(db: Knex, tenant: Tenant, to: string, lastError = 'connect ECONNREFUSED 127.0.0.1:587'): Promise<{ jobId: number; outboxId: number }> {
  const outboxId = await enqueueMail(scopeFor(db, tenant), { to, locale: 'en', template: 'password-setup', data: { tenant: tenant.name, login: 'anna', link: 'https://ebok.example/x' } });
  const job = await db('jobs').where({ tenant_id: tenant.id, kind: 'mail.send' }).andWhere('payload', JSON.stringify({ outboxId })).first('id');
  await db('jobs').where('id', job.id).update({ status: 'failed', attempts: 8, last_error: lastError, finished_at: toDatabaseTime(new Date()), lease_owner: null });
  await db('outbox').where('id', outboxId).update({ status: 'failed', attempts: 8, last_error: lastError });
  return { jobId: Number(job.id), outboxId };
}

describeOnEachDatabase('failed background jobs', (env) => {
  const pageOf = (agent: Agent, tenant: Tenant) => agent.get(`/${tenant.slug}/admin/jobs`).set('Accept-Language', 'en');
  async function retry(agent: Agent, tenant: Tenant, jobId: number | string) {
    const token = await csrfTokenFrom(agent, `/${tenant.slug}/admin/jobs`);
    return agent.post(`/${tenant.slug}/admin/jobs/${jobId}/retry`).type('form').send({ _csrf: token });
  }

  it('shows a superadmin the tenant’s failed jobs with their kind, attempts and last error, and no other tenant’s', async () => {
    const tenant = await makeTenant(env.db);
    const other = await makeTenant(env.db);
    const mine = await failedMail(env.db, tenant, 'mine@example.test', 'Greeting never received');
    const theirs = await failedMail(env.db, other, 'theirs@example.test', 'Their own trouble');
    const agent = await signedInAgent(env.app, tenant, tenant.superadmin.login);
    const page = await pageOf(agent, tenant);
    expect(page.status).toBe(200);
    const row = /<tr role="row" data-testid="failed-job-(\d+)">([\s\S]*?)<\/tr>/.exec(page.text);
    expect(Number(row?.[1])).toBe(mine.jobId);
    expect(row?.[2]).toContain('Sending an e-mail');
    expect(row?.[2]).toMatch(/data-label="Attempts"><span class="data-table__value">8<\/span>/);
    expect(row?.[2]).toContain('Greeting never received');
    expect(page.text).not.toContain('Their own trouble');
    expect(page.text).not.toContain(`failed-job-${theirs.jobId}"`);
    // A job still waiting is not a failed one.
    await enqueueMail(scopeFor(env.db, tenant), { to: 'waiting@example.test', locale: 'en', template: 'password-setup', data: {} });
    expect((await pageOf(agent, tenant)).text.match(/data-testid="failed-job-/g)).toHaveLength(1);
  });

  it('runs a failed job again at once with its attempts anew, and the message goes out', async () => {
    const tenant = await makeTenant(env.db);
    const { jobId, outboxId } = await failedMail(env.db, tenant, 'again@example.test');
    const agent = await signedInAgent(env.app, tenant, tenant.superadmin.login);
    const response = await retry(agent, tenant, jobId);
    expect(response.status).toBe(303);
    expect(response.headers.location).toBe(`/${tenant.slug}/admin/jobs`);
    expect(await env.db('jobs').where('id', jobId).first()).toMatchObject({ status: 'pending', attempts: 0, finished_at: null });
    const after = await pageOf(agent, tenant);
    expect(after.text).toContain('The job will run again in a moment.');
    expect(after.text).not.toContain(`failed-job-${jobId}"`);
    const audit = await env.db('audit_log').where({ tenant_id: tenant.id, action: 'job.retried' }).first();
    expect(audit).toMatchObject({ subject_type: 'job', subject_id: jobId, actor_id: tenant.superadmin.id });

    await env.deliverMail();
    // On MySQL another test file's runner may have sent it a moment earlier: sent either way.
    expect(await env.db('outbox').where('id', outboxId).first()).toMatchObject({ status: 'sent' });
    expect(await env.db('jobs').where('id', jobId).first()).toMatchObject({ status: 'done' });
  });

  it('answers a retry sent twice with the job queued once and a notice, not an error', async () => {
    const tenant = await makeTenant(env.db);
    const { jobId } = await failedMail(env.db, tenant, 'twice@example.test');
    const agent = await signedInAgent(env.app, tenant, tenant.superadmin.login);
    const token = await csrfTokenFrom(agent, `/${tenant.slug}/admin/jobs`);
    const send = () => agent.post(`/${tenant.slug}/admin/jobs/${jobId}/retry`).type('form').send({ _csrf: token });
    const [first, second] = await Promise.all([send(), send()]);
    expect([first.status, second.status]).toEqual([303, 303]);
    expect(await env.db('audit_log').where({ tenant_id: tenant.id, action: 'job.retried' })).toHaveLength(1);
    const page = await pageOf(agent, tenant);
    expect(page.text).toMatch(/The job (will run again in a moment|is already waiting to run)\./);
  });

  it('does not find another tenant’s job, a system job or a job id that is not one', async () => {
    const tenant = await makeTenant(env.db);
    const other = await makeTenant(env.db);
    const theirs = await failedMail(env.db, other, 'theirs@example.test');
    // Written failed at once: a due housekeeping job on a shared database would be run by another file's runner.
    const system = Number((await env.db('jobs').insert({ tenant_id: null, kind: 'housekeeping', payload: '{}', status: 'failed', run_at: '2000-01-01 00:00:00', attempts: 3, created_at: '2000-01-01 00:00:00', finished_at: '2000-01-01 00:00:00' }))[0]);
    const agent = await signedInAgent(env.app, tenant, tenant.superadmin.login);
    for (const jobId of [theirs.jobId, system, 'abc', '0']) expect((await retry(agent, tenant, jobId)).status, String(jobId)).toBe(404);
    expect(await env.db('jobs').where('id', theirs.jobId).first()).toMatchObject({ status: 'failed' });
    expect(await env.db('jobs').where('id', system).first()).toMatchObject({ status: 'failed' });
  });

  it('refuses the page and the retry to an admin who is not a superadmin, and shows the menu entry to superadmins only', async () => {
    const tenant = await makeTenant(env.db);
    const { jobId } = await failedMail(env.db, tenant, 'guarded@example.test');
    const admin = await makeUser(env.db, tenant, 'admin');
    const adminAgent = await signedInAgent(env.app, tenant, admin.login);
    expect((await pageOf(adminAgent, tenant)).status).toBe(403);
    const token = await csrfTokenFrom(adminAgent, `/${tenant.slug}/admin`);
    expect((await adminAgent.post(`/${tenant.slug}/admin/jobs/${jobId}/retry`).type('form').send({ _csrf: token })).status).toBe(403);
    expect(await env.db('jobs').where('id', jobId).first()).toMatchObject({ status: 'failed' });
    expect((await adminAgent.get(`/${tenant.slug}/admin`)).text).not.toContain(`href="/${tenant.slug}/admin/jobs"`);
    const superadmin = await signedInAgent(env.app, tenant, tenant.superadmin.login);
    expect((await superadmin.get(`/${tenant.slug}/admin`)).text).toContain(`href="/${tenant.slug}/admin/jobs"`);
  });

  it('shows the page in Polish too', async () => {
    const tenant = await makeTenant(env.db);
    await failedMail(env.db, tenant, 'pl@example.test');
    const agent = await signedInAgent(env.app, tenant, tenant.superadmin.login);
    const page = await agent.get(`/${tenant.slug}/admin/jobs`).set('Accept-Language', 'pl');
    expect(page.text).toContain('Nieudane zadania w tle');
    expect(page.text).toContain('Wysyłka e-maila');
    expect(page.text).toContain('Uruchom ponownie');
  });
});

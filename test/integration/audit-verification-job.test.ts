import { pino } from 'pino';
import { expect, it } from 'vitest';
import { auditVerify, verifyChainsOf } from '../../src/jobs/audit-verify.js';
import { jobContextOn } from '../../src/jobs/kind.js';
import { jobKinds } from '../../src/jobs/registry.js';
import type { Job } from '../../src/models/job.js';
import { logEvent } from '../../src/models/audit.js';
import { findLastAuditVerification } from '../../src/models/audit-verification.js';
import { describeOnEachDatabase } from '../support/environment.js';
import { makeTenant, makeUser, scopeFor, type TestTenant } from '../support/factories.js';
import { signedInAgent } from '../support/http.js';

const logger = pino({ level: 'silent' });

describeOnEachDatabase('the nightly verification of the audit chain (D3)', (env) => {
  const context = () => jobContextOn(env.db, { mailer: env.mailer, i18n: env.deps.i18n, logger, clock: env.clock.now, forgetsLinks: false });
  // The tenants of this file only: the MySQL database of a run holds every test file's tenants. The job's own walk over all is tested once below.
  const runVerification = (tenant: TestTenant) => verifyChainsOf(context(), [tenant.id]);
  const rowAt = (tenant: TestTenant, sequence: number) => env.db('audit_log').where({ tenant_id: tenant.id, sequence });

  /** A tenant whose log holds its two creation events and three more: sequences 1 … 5. */
  async function tenantWithEvents(): Promise<TestTenant> {
    const tenant = await makeTenant(env.db);
    for (let step = 0; step < 3; step += 1) await logEvent(scopeFor(env.db, tenant), { action: 'user.locked', subjectType: 'user', subjectId: tenant.superadmin.id, details: { step } });
    return tenant;
  }

  async function startPageOf(tenant: TestTenant, login: string): Promise<string> {
    const agent = await signedInAgent(env.app, tenant, login);
    const response = await agent.get(`/${tenant.slug}/staff`);
    expect(response.status).toBe(200);
    return response.text;
  }

  it('is a scheduled kind that runs once a day', () => {
    expect(jobKinds['audit.verify']).toBe(auditVerify);
    expect(auditVerify.everySeconds).toBe(24 * 60 * 60);
  });

  it('finds a changed row, warns the superadmin on the start page with where and what to do, and tells an admin nothing', async () => {
    const tenant = await tenantWithEvents();
    await rowAt(tenant, 3).update({ details: '{"step":7}' });
    await runVerification(tenant);

    expect(await findLastAuditVerification(scopeFor(env.db, tenant))).toMatchObject({ isIntact: false, rows: 2, breakKind: 'edited', breakSequence: 3 });
    const page = await startPageOf(tenant, tenant.superadmin.login);
    expect(page).toContain('data-testid="audit-chain-broken"');
    expect(page).toMatch(/data-testid="audit-chain-break">Wpis 3 zmieniono po jego zapisaniu\./);
    expect(page).toContain(`<code data-testid="audit-verify-command">npm run cli -- audit:verify --tenant ${tenant.slug}</code>`);
    expect(page).not.toContain('data-testid="audit-verification"');

    const admin = await makeUser(env.db, tenant, 'admin');
    const adminPage = await startPageOf(tenant, admin.login);
    expect(adminPage).not.toContain('audit-chain-broken');
    expect(adminPage).not.toContain('audit-verification');
    expect(adminPage).not.toContain('audit:verify');
  });

  it('finds a removed row and names it as missing', async () => {
    const tenant = await tenantWithEvents();
    await rowAt(tenant, 4).delete();
    await runVerification(tenant);
    expect(await findLastAuditVerification(scopeFor(env.db, tenant))).toMatchObject({ isIntact: false, rows: 3, breakKind: 'missing', breakSequence: 4 });
    expect(await startPageOf(tenant, tenant.superadmin.login)).toMatch(/data-testid="audit-chain-break">Brakuje wpisu 4: został usunięty\./);
  });

  it('shows a quiet line when the chain was found intact, keeping only the latest result, and the warning goes once it holds again', async () => {
    const tenant = await tenantWithEvents();
    const original = (await rowAt(tenant, 5).first()).details;
    await rowAt(tenant, 5).update({ details: '{"step":9}' });
    await runVerification(tenant);
    expect((await findLastAuditVerification(scopeFor(env.db, tenant)))?.isIntact).toBe(false);

    await rowAt(tenant, 5).update({ details: original });
    env.clock.advance(24 * 60 * 60 * 1000);
    await runVerification(tenant);
    expect(await env.db('audit_verifications').where('tenant_id', tenant.id)).toHaveLength(1);
    expect(await findLastAuditVerification(scopeFor(env.db, tenant))).toMatchObject({ isIntact: true, rows: 5, breakKind: null, breakSequence: null });
    const page = await startPageOf(tenant, tenant.superadmin.login);
    expect(page).toMatch(/data-testid="audit-verification">Dziennik zdarzeń sprawdzony [^<]*: łańcuch nienaruszony, liczba wpisów: 5\./);
    expect(page).not.toContain('audit-chain-broken');
  });

  it('verifies every tenant when the job runs, so a tenant of this file gets its result', async () => {
    // On MySQL the run's database holds the tenants of every test file, being written meanwhile: the walk over all of them is SQLite's, a file's own database.
    if (env.kind === 'mysql') return;
    const tenant = await tenantWithEvents();
    await auditVerify.run(context(), {}, {} as Job);
    expect(await findLastAuditVerification(scopeFor(env.db, tenant))).toMatchObject({ isIntact: true, rows: 5 });
  });

  it('says so when the chain was never verified', async () => {
    const tenant = await makeTenant(env.db);
    expect(await startPageOf(tenant, tenant.superadmin.login)).toMatch(/data-testid="audit-verification">Dziennik zdarzeń nie był jeszcze sprawdzany/);
  });

  it('writes nothing into the log it verifies', async () => {
    const tenant = await tenantWithEvents();
    const before = await env.db('audit_log').where('tenant_id', tenant.id).count({ count: '*' }).first();
    await runVerification(tenant);
    const after = await env.db('audit_log').where('tenant_id', tenant.id).count({ count: '*' }).first();
    expect(Number(after!.count)).toBe(Number(before!.count));
  });
});

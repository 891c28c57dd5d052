import { expect, it } from 'vitest';
import { describeOnEachDatabase } from '../support/environment.js';
import { makeTenant, makeUser } from '../support/factories.js';
import { signedInAgent } from '../support/http.js';
import { makeRichCustomer } from '../support/purge.js';

/** A response body as bytes (supertest gives a binary body only when asked to buffer it). */
function binary(response: { on(event: string, listener: (chunk?: Buffer) => void): void }, done: (error: Error | null, body: Buffer) => void): void {
  const chunks: Buffer[] = [];
  response.on('data', (chunk) => chunks.push(chunk!));
  response.on('end', () => done(null, Buffer.concat(chunks)));
}

describeOnEachDatabase('the data export of one customer (D2, issue 18 item 6)', (env) => {
  it('gives a superadmin a ZIP with a JSON file per table of every record of the customer and the files’ bytes, and puts it on record', async () => {
    const tenant = await makeTenant(env.db);
    const data = await makeRichCustomer(env.db, tenant, { isActive: true });
    const other = await makeRichCustomer(env.db, tenant, { isActive: true });
    // An invitation waiting in the outbox holds a one-time link that would still work.
    const now = new Date().toISOString().slice(0, 19).replace('T', ' ');
    await env.db('outbox').insert({ tenant_id: tenant.id, recipient: 'nowy@example.test', locale: 'pl', template: 'invitation', data: JSON.stringify({ link: 'https://ebok.example/invitation/SECRET-TOKEN' }), status: 'pending', attempts: 0, next_attempt_at: now, created_at: now, recipient_user_id: data.clients[0]!.id, customer_id: data.customer.id });
    const agent = await signedInAgent(env.app, tenant, tenant.superadmin.login);
    const record = await agent.get(`/${tenant.slug}/staff/customers/${data.customer.id}`);
    expect(record.text).toContain('data-testid="customer-export"');
    const response = await agent.get(`/${tenant.slug}/admin/customers/${data.customer.id}/export.zip`).buffer(true).parse(binary);
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe('application/zip');
    const { unzipSync, strFromU8 } = await import('fflate');
    const entries = unzipSync(new Uint8Array(response.body as Buffer));
    const json = (name: string) => JSON.parse(strFromU8(entries[name]!)) as Array<Record<string, unknown>>;
    expect(json('customers.json')).toMatchObject([{ id: data.customer.id, name: data.customer.name }]);
    const users = json('users.json');
    expect(users.map((user) => user.id).sort()).toEqual(data.clients.map((client) => client.id).sort());
    expect(users[0]).not.toHaveProperty('password_hash');
    expect(json('tickets.json').map((ticket) => ticket.customer_id)).toEqual([data.customer.id, data.customer.id, data.customer.id]);
    expect(json('ledger_entries.json')).toHaveLength(3);
    for (const name of Object.keys(entries).filter((entry) => entry.endsWith('.json'))) expect(strFromU8(entries[name]!), name).not.toContain(other.customer.name);
    expect(strFromU8(entries['outbox.json']!)).toContain('invitation');
    expect(strFromU8(entries['outbox.json']!)).not.toContain('SECRET-TOKEN');
    expect(entries['sessions.json']).toBeUndefined();
    expect(entries['password_tokens.json']).toBeUndefined();
    const files = Object.keys(entries).filter((name) => name.startsWith('files/'));
    expect(files).toHaveLength(3);
    expect(files.some((name) => Buffer.from(entries[name]!).equals(data.documentBytes))).toBe(true);
    expect(Object.keys(entries).filter((name) => name.startsWith('mail/'))).toHaveLength(1);
    const [exported] = await env.db('audit_log').where({ tenant_id: tenant.id, action: 'customer.exported' });
    expect(exported).toMatchObject({ subject_type: 'customer', subject_id: data.customer.id, actor_id: tenant.superadmin.id });
    expect(JSON.parse(exported.details)).toMatchObject({ files: 4 });
  });

  it('refuses an admin with 403 and exports nothing', async () => {
    const tenant = await makeTenant(env.db);
    const data = await makeRichCustomer(env.db, tenant, { isActive: true });
    const admin = await makeUser(env.db, tenant, 'admin');
    const agent = await signedInAgent(env.app, tenant, admin.login);
    expect((await agent.get(`/${tenant.slug}/staff/customers/${data.customer.id}`)).text).not.toContain('data-testid="customer-export"');
    expect((await agent.get(`/${tenant.slug}/admin/customers/${data.customer.id}/export.zip`)).status).toBe(403);
    expect(await env.db('audit_log').where({ tenant_id: tenant.id, action: 'customer.exported' })).toEqual([]);
  });
});

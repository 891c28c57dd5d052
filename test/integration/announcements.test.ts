import { afterEach, expect, it } from 'vitest';
import { openSystemWork } from '../../src/db/installation.js';
import { sendDueAnnouncementCopies } from '../../src/models/announcement-copies.js';
import { findAnnouncement } from '../../src/models/announcement.js';
import { NotFoundError } from '../../src/lib/errors.js';
import { createGroup } from '../../src/models/group.js';
import { localDateTimeIn } from '../../src/lib/time.js';
import { describeOnEachDatabase } from '../support/environment.js';
import { makeCustomer, makeTenant, makeUser, userScope, type TestTenant } from '../support/factories.js';
import { fieldErrorOf, postForm, signedInAgent, type Agent } from '../support/http.js';
import { statementsDuring } from '../support/apps.js';

describeOnEachDatabase('announcements with read receipts and the urgent interstitial (C2, C3)', (env) => {
  afterEach(() => env.clock.reset());

  /** A tenant with Alfa (anna and a colleague) and Beta (piotr), all in CLIENTS, and its superadmin signed in. */
  async function office() {
    const tenant = await makeTenant(env.db);
    const alfa = await makeCustomer(env.db, tenant, { name: 'Alfa sp. z o.o.' });
    const beta = await makeCustomer(env.db, tenant, { name: 'Beta s.r.o.' });
    const anna = await makeUser(env.db, tenant, 'client', { customer: alfa, firstName: 'Anna', lastName: 'Nowak' });
    const colleague = await makeUser(env.db, tenant, 'client', { customer: alfa, firstName: 'Jan', lastName: 'Kos', locale: 'en' });
    const piotr = await makeUser(env.db, tenant, 'client', { customer: beta, firstName: 'Piotr', lastName: 'Horváth' });
    const admin = await signedInAgent(env.app, tenant, tenant.superadmin.login);
    const clientsGroup = await env.db('groups').where({ tenant_id: tenant.id, is_default: true }).first();
    return { tenant, alfa, beta, anna, colleague, piotr, admin, clientsGroupId: Number(clientsGroup.id) };
  }

  const now = () => localDateTimeIn(env.clock.now(), 'Europe/Warsaw');
  const later = (hours: number) => localDateTimeIn(new Date(env.clock.now().getTime() + hours * 3_600_000), 'Europe/Warsaw');

  /** Writes an announcement through the admin's form; returns its id. */
  async function announce(tenant: TestTenant, admin: Agent, fields: Record<string, string>): Promise<number> {
    const response = await postForm(admin, `/${tenant.slug}/admin/announcements/new`, `/${tenant.slug}/admin/announcements`, { title: 'Przerwa serwisowa', body: 'Tekst', audience: 'all', publishAt: now(), ...fields });
    expect(response.status, response.text.slice(0, 300)).toBe(303);
    return Number(/announcements\/(\d+)$/.exec(response.headers.location as string)![1]);
  }

  /** An announcement's edit form as the admin opens it: its address, the values it was opened with (base) and its publish time as shown. */
  async function editFormOf(tenant: TestTenant, admin: Agent, id: number): Promise<{ editPath: string; base: string; publishAt: string }> {
    const editPath = `/${tenant.slug}/admin/announcements/${id}/edit`;
    const form = (await admin.get(editPath)).text;
    const base = /name="base" value="([^"]*)"/.exec(form)![1]!.replace(/&#34;/g, '"');
    const publishAt = /id="field-publishAt" name="publishAt" type="datetime-local" value="([^"]+)"/.exec(form)![1]!;
    return { editPath, base, publishAt };
  }

  const receipts = (tenant: TestTenant, announcementId: number) => env.db('announcement_readings').where({ tenant_id: tenant.id, announcement_id: announcementId });

  it('publishes an announcement to a group: its members read it, others get 404, and it is on record as published', async () => {
    const { tenant, anna, piotr, admin, clientsGroupId } = await office();
    const vip = await createGroup(openSystemWork(env.db, env.clock.now, 'test').scopeFor(tenant.id), 'VIP');
    await env.db('users').where({ tenant_id: tenant.id, id: piotr.id }).update({ group_id: vip.id });
    const id = await announce(tenant, admin, { title: 'Nowy cennik', body: 'Od **stycznia** nowe ceny:\n\n- serwis\n- części', audience: 'group', groupId: String(clientsGroupId) });
    const annaAgent = await signedInAgent(env.app, tenant, anna.login);
    const list = await annaAgent.get(`/${tenant.slug}/portal/announcements`);
    expect(list.status).toBe(200);
    expect(list.text).toContain('Nowy cennik');
    expect(list.text).toContain('1 nieprzeczytany komunikat.');
    const page = await annaAgent.get(`/${tenant.slug}/portal/announcements/${id}`);
    expect(page.text).toContain('Od <strong>stycznia</strong> nowe ceny:');
    expect(page.text).toMatch(/<ul>\s*<li>serwis<\/li>/);
    const piotrAgent = await signedInAgent(env.app, tenant, piotr.login);
    expect((await piotrAgent.get(`/${tenant.slug}/portal/announcements/${id}`)).status).toBe(404);
    expect((await piotrAgent.get(`/${tenant.slug}/portal/announcements`)).text).not.toContain('Nowy cennik');
    // Audience at read time: piotr joins CLIENTS later and sees it.
    await env.db('users').where({ tenant_id: tenant.id, id: piotr.id }).update({ group_id: clientsGroupId });
    expect((await piotrAgent.get(`/${tenant.slug}/portal/announcements/${id}`)).status).toBe(200);
    const events = await env.db('audit_log').where({ tenant_id: tenant.id, action: 'announcement.published', subject_id: id });
    expect(events).toHaveLength(1);
    expect(JSON.parse(events[0].details)).toEqual({ audience: 'group', isScheduled: false, isUrgent: false, sendsEmail: false });
  });

  it('reaches one customer or one account only, never a deactivated customer’s account nor another tenant’s client', async () => {
    const { tenant, alfa, anna, colleague, piotr, admin } = await office();
    const toAlfa = await announce(tenant, admin, { title: 'Dla Alfy', audience: 'customer', customerId: String(alfa.id) });
    const toPiotr = await announce(tenant, admin, { title: 'Dla Piotra', audience: 'account', login: piotr.login.toUpperCase() });
    const seen = async (login: string, id: number) => (await (await signedInAgent(env.app, tenant, login)).get(`/${tenant.slug}/portal/announcements/${id}`)).status;
    expect([await seen(anna.login, toAlfa), await seen(colleague.login, toAlfa), await seen(piotr.login, toAlfa)]).toEqual([200, 200, 404]);
    expect([await seen(anna.login, toPiotr), await seen(piotr.login, toPiotr)]).toEqual([404, 200]);
    await env.db('customers').where({ tenant_id: tenant.id, id: alfa.id }).update({ is_active: false });
    // (Such an account cannot sign in either; its scope still finds nothing.)
    await expect(findAnnouncement(userScope(env.db, anna), toAlfa)).rejects.toThrow(NotFoundError);
    // The read list counts only active client accounts of active customers.
    const counts = (await admin.get(`/${tenant.slug}/admin/announcements/${toAlfa}`)).text;
    expect(/data-testid="reader-counts">([^<]*)</.exec(counts)?.[1]).toBe('Przeczytało 0 z 0, jeszcze nie: 0.');
    const other = await makeTenant(env.db);
    const stranger = await makeUser(env.db, other, 'client');
    expect((await (await signedInAgent(env.app, other, stranger.login)).get(`/${other.slug}/portal/announcements/${toPiotr}`)).status).toBe(404);
  });

  it('refuses an end before the publication, a missing title and an unknown login with the form as typed (422), saving nothing', async () => {
    const { tenant, admin } = await office();
    const path = `/${tenant.slug}/admin/announcements`;
    const early = await postForm(admin, `${path}/new`, path, { title: 'Za wcześnie', body: 'Treść', audience: 'all', publishAt: later(2), endsAt: later(1) });
    expect(early.status).toBe(422);
    expect(fieldErrorOf(early.text, 'endsAt')).toBe('Koniec musi przypadać po publikacji.');
    expect(early.text).toContain('value="Za wcześnie"');
    const untitled = await postForm(admin, `${path}/new`, path, { title: ' ', body: 'Treść', audience: 'all', publishAt: now() });
    expect(untitled.status).toBe(422);
    expect(fieldErrorOf(untitled.text, 'title')).toBeDefined();
    const nobody = await postForm(admin, `${path}/new`, path, { title: 'Do nikogo', body: 'Treść', audience: 'account', login: 'nikt-taki', publishAt: now() });
    expect(nobody.status).toBe(422);
    expect(fieldErrorOf(nobody.text, 'login')).toBe('Nie ma konta klienta o tym loginie.');
    const badDate = await postForm(admin, `${path}/new`, path, { title: 'Zła data', body: 'Treść', audience: 'all', publishAt: '2026-02-30T10:00' });
    expect(badDate.status).toBe(422);
    expect(await env.db('announcements').where({ tenant_id: tenant.id })).toHaveLength(0);
  });

  it('shows script, event attributes and javascript: links in the text as text', async () => {
    const { tenant, anna, admin } = await office();
    const id = await announce(tenant, admin, { title: '<b>Tytuł</b>', body: '<script>alert(1)</script>\n\n<img src=x onerror="alert(2)">\n\n[kliknij](javascript:alert(3)) [strona](https://example.com)' });
    for (const agent of [admin, await signedInAgent(env.app, tenant, anna.login)]) {
      const path = agent === admin ? `/${tenant.slug}/admin/announcements/${id}` : `/${tenant.slug}/portal/announcements/${id}`;
      const html = (await agent.get(path)).text;
      const body = /data-testid="announcement-body">([\s\S]*?)<\/div>/.exec(html)![1]!;
      expect(body).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
      expect(body).not.toMatch(/<script|<img|href="javascript/i);
      expect(body).toContain('<a href="https://example.com" rel="noopener noreferrer">strona</a>');
      expect(html).toContain('&lt;b&gt;Tytuł&lt;/b&gt;');
    }
  });

  it('holds every portal page behind an urgent announcement until the client confirms it, then goes on to the page asked for', async () => {
    const { tenant, anna, colleague, admin, clientsGroupId } = await office();
    const id = await announce(tenant, admin, { title: 'Awaria sieci', body: 'Prosimy o cierpliwość.', audience: 'group', groupId: String(clientsGroupId), isUrgent: 'on' });
    const agent = await signedInAgent(env.app, tenant, anna.login);
    const held = await agent.get(`/${tenant.slug}/portal/tickets`);
    expect(held.status).toBe(200);
    expect(held.text).toContain('data-testid="urgent-announcement"');
    expect(held.text).toContain(`name="returnTo" value="/${tenant.slug}/portal/tickets"`);
    expect((await agent.get(`/${tenant.slug}/portal`)).text).toContain('data-testid="urgent-announcement"');
    // Opening its page does not count as confirming; the language switch still works.
    await agent.get(`/${tenant.slug}/portal/announcements/${id}`);
    expect(await receipts(tenant, id)).toHaveLength(0);
    expect((await postForm(agent, `/${tenant.slug}/portal`, `/${tenant.slug}/language`, { locale: 'en', returnTo: `/${tenant.slug}/portal` })).status).toBe(303);
    // Confirmed twice at once (two tabs): one receipt, and back to the page asked for.
    const [first, second] = await Promise.all([
      postForm(agent, `/${tenant.slug}/portal`, `/${tenant.slug}/portal/announcements/${id}/reading`, { returnTo: `/${tenant.slug}/portal/tickets` }),
      postForm(agent, `/${tenant.slug}/portal`, `/${tenant.slug}/portal/announcements/${id}/reading`, { returnTo: `/${tenant.slug}/portal/tickets` }),
    ]);
    expect([first.status, second.status]).toEqual([303, 303]);
    expect(first.headers.location).toBe(`/${tenant.slug}/portal/tickets`);
    expect(await receipts(tenant, id)).toHaveLength(1);
    const free = await agent.get(`/${tenant.slug}/portal/tickets`);
    expect(free.text).not.toContain('data-testid="urgent-announcement"');
    // A return path off the tenant is not followed.
    const away = await postForm(agent, `/${tenant.slug}/portal`, `/${tenant.slug}/portal/announcements/${id}/reading`, { returnTo: 'https://evil.example/' });
    expect(away.headers.location).toBe(`/${tenant.slug}`);
    // Staff are never held; a client who reads English is held in English.
    expect((await admin.get(`/${tenant.slug}/staff`)).text).not.toContain('data-testid="urgent-announcement"');
    const english = (await (await signedInAgent(env.app, tenant, colleague.login)).get(`/${tenant.slug}/portal`)).text;
    expect(english).toContain('Please read this announcement before continuing.');
    expect(english).toContain('I have read it, continue');
  });

  it('asks nothing about announcements on a client page while none urgent is in force, and holds the next page once one is published or its time comes', async () => {
    const { tenant, beta, anna, admin } = await office();
    const agent = await signedInAgent(env.app, tenant, anna.login);
    const tickets = `/${tenant.slug}/portal/tickets`;
    const announcementStatements = async () => {
      const statements = await statementsDuring(env.db, async () => {
        expect((await agent.get(tickets)).status).toBe(200);
      });
      return statements.filter((sql) => /[`"]announcements[`"]/.test(sql)).length;
    };
    // A normal announcement in force and a withdrawn urgent one: nothing to ask.
    await announce(tenant, admin, { title: 'Zwykły' });
    const ended = await announce(tenant, admin, { title: 'Minione', isUrgent: 'on' });
    expect((await postForm(admin, `/${tenant.slug}/admin/announcements/${ended}`, `/${tenant.slug}/admin/announcements/${ended}/withdrawal`, {})).status).toBe(303);
    expect((await agent.get(tickets)).text).not.toContain('data-testid="urgent-announcement"');
    expect(await announcementStatements()).toBe(0);
    // An urgent one for another customer is in force: anna's page is not held, and (once the windows are read
    // again after the change) asks its one question.
    await announce(tenant, admin, { title: 'Dla Bety', isUrgent: 'on', audience: 'customer', customerId: String(beta.id) });
    expect((await agent.get(tickets)).text).not.toContain('data-testid="urgent-announcement"');
    expect(await announcementStatements()).toBe(1);
    // Scheduled: no page is held before its time, and the first page after it is, with nothing written in between.
    const scheduled = await announce(tenant, admin, { title: 'Planowana przerwa', isUrgent: 'on', publishAt: later(1) });
    // Three steps of 25 minutes, a page each (the session stays within its idle timeout): held after the hour only.
    const pages: string[] = [];
    for (let step = 0; step < 3; step += 1) {
      env.clock.advance(25 * 60_000);
      pages.push((await agent.get(tickets)).text);
    }
    expect(pages.map((page) => page.includes('data-testid="urgent-announcement"'))).toEqual([false, false, true]);
    expect(pages[2]).toContain('Planowana przerwa');
    await postForm(agent, tickets, `/${tenant.slug}/portal/announcements/${scheduled}/reading`, { returnTo: tickets });
    expect((await agent.get(tickets)).text).not.toContain('data-testid="urgent-announcement"');
    // Published at once while anna is signed in (the admin signs in again: an hour has passed): her next page is held.
    await announce(tenant, await signedInAgent(env.app, tenant, tenant.superadmin.login), { title: 'Awaria teraz', isUrgent: 'on', publishAt: now() });
    expect((await agent.get(tickets)).text).toContain('Awaria teraz');
  });

  it('holds a client’s next page once a normal announcement in force is edited into an urgent one', async () => {
    const { tenant, anna, admin } = await office();
    const id = await announce(tenant, admin, { title: 'Zwykły komunikat', audience: 'all' });
    const agent = await signedInAgent(env.app, tenant, anna.login);
    const tickets = `/${tenant.slug}/portal/tickets`;
    expect((await agent.get(tickets)).text).not.toContain('data-testid="urgent-announcement"');
    const { editPath, base, publishAt } = await editFormOf(tenant, admin, id);
    const saved = await postForm(admin, editPath, `/${tenant.slug}/admin/announcements/${id}`, { title: 'Zwykły komunikat', body: 'Tekst', audience: 'all', isUrgent: 'on', publishAt, version: '1', base });
    expect(saved.status).toBe(303);
    const held = (await agent.get(tickets)).text;
    expect(held).toContain('data-testid="urgent-announcement"');
    expect(held).toContain('Zwykły komunikat');
  });

  it('lets sign-out through while an urgent announcement waits, and holds a client again after it is edited with "ask again"', async () => {
    const { tenant, anna, admin } = await office();
    const id = await announce(tenant, admin, { title: 'Pilne', audience: 'all', isUrgent: 'on' });
    const agent = await signedInAgent(env.app, tenant, anna.login);
    await postForm(agent, `/${tenant.slug}/portal`, `/${tenant.slug}/portal/announcements/${id}/reading`, {});
    expect(await receipts(tenant, id)).toHaveLength(1);
    const { editPath, base, publishAt } = await editFormOf(tenant, admin, id);
    const kept = await postForm(admin, editPath, `/${tenant.slug}/admin/announcements/${id}`, { title: 'Pilne!', body: 'Tekst', audience: 'all', isUrgent: 'on', publishAt, version: '1', base });
    expect(kept.status).toBe(303);
    expect(await receipts(tenant, id)).toHaveLength(1);
    expect((await agent.get(`/${tenant.slug}/portal`)).text).not.toContain('data-testid="urgent-announcement"');
    const again = await postForm(admin, editPath, `/${tenant.slug}/admin/announcements/${id}`, { title: 'Pilne!', body: 'Nowa treść', audience: 'all', isUrgent: 'on', publishAt, asksAgain: 'on', version: '2', base });
    expect(again.status).toBe(303);
    expect(await receipts(tenant, id)).toHaveLength(0);
    expect((await agent.get(`/${tenant.slug}/portal`)).text).toContain('Nowa treść');
    expect((await postForm(agent, `/${tenant.slug}/portal`, `/${tenant.slug}/logout`, {})).status).toBe(303);
    const edits = await env.db('audit_log').where({ tenant_id: tenant.id, action: 'announcement.edited', subject_id: id }).orderBy('id');
    expect(edits.map((event) => JSON.parse(event.details))).toEqual([{ fields: ['title'], readingsCleared: false }, { fields: ['body'], readingsCleared: true }]);
  });

  it('answers an edit at an old version with 409 and the merged form, writing nothing', async () => {
    const { tenant, admin } = await office();
    const id = await announce(tenant, admin, { title: 'Pierwszy', audience: 'all' });
    await env.db('announcements').where({ tenant_id: tenant.id, id }).update({ body: 'Zmieniona przez kogoś', version: 2 });
    const path = `/${tenant.slug}/admin/announcements/${id}`;
    const conflict = await postForm(admin, `${path}/edit`, path, { title: 'Drugi', body: 'Tekst', audience: 'all', publishAt: now(), version: '1', base: JSON.stringify({ title: 'Pierwszy', body: 'Tekst', audience: 'all', groupId: '', customerId: '', login: '', isUrgent: '', sendsEmail: '', publishAt: '', endsAt: '' }) });
    expect(conflict.status).toBe(409);
    expect(conflict.text).toContain('data-testid="announcement-conflict"');
    expect(conflict.text).toContain('Zmieniona przez kogoś');
    expect((await env.db('announcements').where({ tenant_id: tenant.id, id }).first()).title).toBe('Pierwszy');
  });

  it('marks a normal announcement read by the client’s button only, lists unread first, and shows staff who has read it with counts and a CSV', async () => {
    const { tenant, anna, colleague, piotr, admin } = await office();
    const older = await announce(tenant, admin, { title: 'Starszy' });
    env.clock.advance(60_000);
    const newer = await announce(tenant, admin, { title: 'Nowszy' });
    const agent = await signedInAgent(env.app, tenant, anna.login);
    await agent.get(`/${tenant.slug}/portal/announcements/${newer}`);
    expect(await receipts(tenant, newer)).toHaveLength(0);
    expect((await postForm(agent, `/${tenant.slug}/portal/announcements/${newer}`, `/${tenant.slug}/portal/announcements/${newer}/reading`, { returnTo: `/${tenant.slug}/portal/announcements/${newer}` })).status).toBe(303);
    const list = (await agent.get(`/${tenant.slug}/portal/announcements`)).text;
    expect(list.indexOf('Starszy')).toBeLessThan(list.indexOf('Nowszy'));
    const dashboard = (await agent.get(`/${tenant.slug}/portal`)).text;
    expect(dashboard).toContain('data-testid="section-announcements"');
    expect(dashboard).toContain(`data-testid="portlet-announcement-${older}"`);
    const page = (await admin.get(`/${tenant.slug}/admin/announcements/${newer}`)).text;
    expect(/data-testid="reader-counts">([^<]*)</.exec(page)?.[1]).toBe('Przeczytało 1 z 3, jeszcze nie: 2.');
    expect(page).toMatch(new RegExp(`data-login="${anna.login}"[\\s\\S]*?Przeczytany`));
    expect(page).toMatch(new RegExp(`data-login="${piotr.login}"[\\s\\S]*?Nieprzeczytany`));
    expect((await admin.get(`/${tenant.slug}/admin/announcements`)).text).toMatch(/data-testid="read-count"[^>]*>(?:<[^>]+>|\s)*1 z 3</);
    const csv = await admin.get(`/${tenant.slug}/admin/announcements/${newer}/readers.csv`);
    expect(csv.status).toBe(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    const lines = csv.text.replace(/^\uFEFF/, '').trim().split(/\r?\n/);
    expect(lines).toHaveLength(4);
    expect(lines.find((line) => line.includes(anna.login))).toMatch(/;Przeczytany;\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/);
    expect(lines.find((line) => line.includes(colleague.login))).toMatch(/;Nieprzeczytany;$/);
    // Clients and caretakers may not see the read list.
    expect((await agent.get(`/${tenant.slug}/admin/announcements/${newer}`)).status).toBe(403);
  });

  it('withdraws an announcement as its own noun: clients stop seeing it, once on record', async () => {
    const { tenant, anna, admin } = await office();
    const id = await announce(tenant, admin, { title: 'Do wycofania', isUrgent: 'on' });
    const path = `/${tenant.slug}/admin/announcements/${id}`;
    expect((await postForm(admin, path, `${path}/withdrawal`, {})).status).toBe(303);
    expect((await postForm(admin, path, `${path}/withdrawal`, {})).status).toBe(303);
    const agent = await signedInAgent(env.app, tenant, anna.login);
    expect((await agent.get(`/${tenant.slug}/portal/announcements/${id}`)).status).toBe(404);
    expect((await agent.get(`/${tenant.slug}/portal`)).text).not.toContain('data-testid="urgent-announcement"');
    expect(await env.db('audit_log').where({ tenant_id: tenant.id, action: 'announcement.withdrawn', subject_id: id })).toHaveLength(1);
    expect((await admin.get(path)).text).toContain('Wycofany');
    // A scheduled one withdrawn before its time is ended too, and never reaches anyone.
    const scheduled = await announce(tenant, admin, { title: 'Nigdy', publishAt: later(1), sendsEmail: 'on' });
    expect((await postForm(admin, `${path}`, `/${tenant.slug}/admin/announcements/${scheduled}/withdrawal`, {})).status).toBe(303);
    expect((await admin.get(`/${tenant.slug}/admin/announcements/${scheduled}`)).text).toMatch(/data-testid="announcement-state">Wycofany/);
    env.clock.advance(2 * 3_600_000);
    expect(await sendDueAnnouncementCopies(openSystemWork(env.db, env.clock.now, 'test').scopeFor(tenant.id), env.links)).toEqual({ announcements: 0, messages: 0 });
  });

  it('sends e-mail copies through the outbox in each reader’s language: at once when published now, once', async () => {
    const { tenant, anna, colleague, piotr, admin } = await office();
    const id = await announce(tenant, admin, { title: 'Z kopią', body: 'Treść kopii', sendsEmail: 'on' });
    const mails = await env.db('outbox').where({ tenant_id: tenant.id, template: 'announcement' });
    expect(mails.map((mail) => mail.recipient_user_id).sort()).toEqual([anna.id, colleague.id, piotr.id].sort());
    // Each copy names its reader's customer (a purge of the customer takes it).
    for (const reader of [anna, colleague, piotr]) expect(Number(mails.find((mail) => mail.recipient_user_id === reader.id).customer_id)).toBe(reader.customerId);
    expect(mails.find((mail) => mail.recipient_user_id === colleague.id).locale).toBe('en');
    expect(JSON.parse(mails[0].data)).toMatchObject({ title: 'Z kopią', body: 'Treść kopii' });
    expect(JSON.parse(mails[0].data).link).toContain(`/${tenant.slug}/portal/announcements/${id}`);
    const system = openSystemWork(env.db, env.clock.now, 'test').scopeFor(tenant.id);
    expect(await sendDueAnnouncementCopies(system, env.links)).toEqual({ announcements: 0, messages: 0 });
    expect(await env.db('outbox').where({ tenant_id: tenant.id, template: 'announcement' })).toHaveLength(3);
  });

  it('keeps a scheduled announcement from clients and its copies until its time, then the job sends them once', async () => {
    const { tenant, anna, admin } = await office();
    const id = await announce(tenant, admin, { title: 'Zaplanowany', sendsEmail: 'on', publishAt: later(2) });
    const agent = await signedInAgent(env.app, tenant, anna.login);
    expect((await agent.get(`/${tenant.slug}/portal/announcements/${id}`)).status).toBe(404);
    expect((await admin.get(`/${tenant.slug}/admin/announcements`)).text).toContain('Zaplanowany');
    const system = () => openSystemWork(env.db, env.clock.now, 'test').scopeFor(tenant.id);
    expect(await sendDueAnnouncementCopies(system(), env.links)).toEqual({ announcements: 0, messages: 0 });
    env.clock.advance(3 * 3_600_000);
    expect((await (await signedInAgent(env.app, tenant, anna.login)).get(`/${tenant.slug}/portal/announcements/${id}`)).status).toBe(200);
    const [run, rerun] = [await sendDueAnnouncementCopies(system(), env.links), await sendDueAnnouncementCopies(system(), env.links)];
    expect(run).toEqual({ announcements: 1, messages: 3 });
    expect(rerun).toEqual({ announcements: 0, messages: 0 });
    expect(await env.db('outbox').where({ tenant_id: tenant.id, template: 'announcement' })).toHaveLength(3);
  });
});

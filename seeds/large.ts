import type { Knex } from 'knex';
import { openSystemWork } from '../src/db/installation.js';
import { hashPassword } from '../src/lib/passwords.js';
import { calendarDateIn, systemClock, toDatabaseTime, type Clock } from '../src/lib/time.js';
import { findAnyTenantBySlug } from '../src/models/tenant.js';
import { seedCustomers } from './large-customers.js';
import { seedLedger } from './large-ledger.js';
import { removeSeededTenants } from './large-reset.js';
import { createSeedTenant, type TenantPlan } from './large-tenant.js';
import { seedTickets } from './large-tickets.js';
import { openWriter, Progress } from './large-writer.js';

export type LargeSeedOptions = {
  /** 1 is the full size (100,000 customers); every count of the large tenant scales with it. */
  scale: number;
  password: string;
  bcryptCost: number;
  onProgress?: (line: string) => void;
  /** Put before the three slugs ('t1-' makes t1-large, t1-small-a, t1-small-b): tests share a MySQL database. */
  slugPrefix?: string;
  /** Remove the three tenants first when they exist; without it a second run refuses. */
  isReset?: boolean;
  clock?: Clock;
};

export type LargeSeedSummary = {
  slug: string;
  smallSlugs: string[];
  /** Rows written per table, over the three tenants (the bulk; the few rows of the model verbs are not counted). */
  counts: Record<string, number>;
  seconds: number;
  /** The numbered logins of the large tenant: caretaker1…caretakerN, client1…clientM. */
  logins: { caretakers: number; clients: number };
};

/** The full size, from issue 20: 100,000 customers, about 2,000,000 ledger entries, 500,000 tickets. */
export const fullSize = { customers: 100_000, tickets: 500_000, customersPerCaretaker: 1_000 };

export class SeedRefusedError extends Error {}

/** The three tenants of a run: the large one and two small ones beside it (a few dozen customers each, not scaled). */
export function plansFor(scale: number, prefix = ''): TenantPlan[] {
  const customers = Math.max(10, Math.round(fullSize.customers * scale));
  return [
    { slug: `${prefix}large`, name: 'Wielki Operator sp. z o.o.', customers, caretakers: Math.max(1, Math.round(customers / fullSize.customersPerCaretaker)), tickets: Math.max(10, Math.round(fullSize.tickets * scale)), seed: 1 },
    { slug: `${prefix}small-a`, name: 'Mały Serwis A sp. z o.o.', customers: 36, caretakers: 2, tickets: 90, seed: 2 },
    { slug: `${prefix}small-b`, name: 'Mały Serwis B s.c.', customers: 24, caretakers: 1, tickets: 60, seed: 3 },
  ];
}

/**
 * Fills a migrated database with the large tenant of issue 20 and two small ones (see plansFor),
 * for the benchmark: the tenants, accounts and groups through the model verbs, the bulk (customers,
 * client accounts, ledger entries with their allocations, tickets with their messages) in
 * multi-row inserts with the columns the models write. The password is hashed once and shared.
 * @throws SeedRefusedError when one of the three tenants exists and isReset is not given
 */
export async function seedLarge(db: Knex, options: LargeSeedOptions): Promise<LargeSeedSummary> {
  const started = Date.now();
  const clock = options.clock ?? systemClock;
  const report = options.onProgress ?? (() => {});
  const plans = plansFor(options.scale, options.slugPrefix);
  const system = openSystemWork(db, clock, 'seed large');
  const slugs = plans.map((plan) => plan.slug);
  if (options.isReset) await removeSeededTenants(system, slugs, report);
  for (const slug of slugs) {
    if (await findAnyTenantBySlug(system, slug)) throw new SeedRefusedError(`tenant ${slug} exists already: run again with --reset to remove ${slugs.join(', ')} first`);
  }
  const passwordHash = await hashPassword(options.password, options.bcryptCost);
  const progress = new Progress(report);
  const logins = { caretakers: 0, clients: 0 };
  for (const plan of plans) {
    progress.note(`tenant ${plan.slug}: ${plan.customers.toLocaleString('en-US')} customers, ${plan.tickets.toLocaleString('en-US')} tickets, ${plan.caretakers} caretakers`);
    progress.nextTenant();
    const seeded = await seedTenant(db, plan, passwordHash, clock, progress);
    if (plan === plans[0]) Object.assign(logins, seeded);
  }
  return { slug: plans[0]!.slug, smallSlugs: slugs.slice(1), counts: Object.fromEntries(progress.counts), seconds: (Date.now() - started) / 1000, logins };
}

/** One tenant: its frame through the model verbs, then customers and accounts, then the ledger beside the tickets. */
async function seedTenant(db: Knex, plan: TenantPlan, passwordHash: string, clock: Clock, progress: Progress): Promise<{ caretakers: number; clients: number }> {
  const system = openSystemWork(db, clock, 'seed large');
  const frame = await createSeedTenant(system, plan, passwordHash);
  const tenant = await system.tenants().where('id', frame.tenantId).first('time_zone', 'currency');
  const writer = await openWriter(db, frame.tenantId, progress);
  const nowMs = clock().getTime();
  const now = toDatabaseTime(new Date(nowMs));
  const today = calendarDateIn(new Date(nowMs), String(tenant.time_zone));
  const customers = await seedCustomers(writer, frame, plan.customers, now, passwordHash, plan.seed);
  // The ledger and the tickets share nothing: on MySQL each has a connection of its own, and the server both cores.
  await Promise.all([
    seedLedger(writer, frame, customers, { today, now, currency: String(tenant.currency), seed: plan.seed * 7 }),
    seedTickets(writer, frame, customers, { count: plan.tickets, nowMs, seed: plan.seed * 13 }),
  ]);
  return { caretakers: plan.caretakers, clients: customers.reduce((sum, customer) => sum + customer.clientIds.length, 0) };
}

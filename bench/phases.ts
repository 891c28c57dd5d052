import bcrypt from 'bcrypt';
import { measure, randomGets, settle, type Measured, type Scenario } from './load.js';
import { startApp, untilIdle, type DatabaseAt, type Started } from './processes.js';
import { ceilingScenario, signInScenario } from './scenarios.js';
import type { GrowthRow, SignInMeasure, WorkersMeasure } from './report.js';
import { median, type PageRow } from './targets.js';

export type Load = { connections: number; seconds: number; rounds: number };

/** A few requests of each scenario first: compiled views, caches and the pool warm, as after any start. */
export async function warmUp(app: Started, ceiling: Started, scenarios: Scenario[]): Promise<void> {
  await measure(ceiling.port, ceilingScenario, { connections: 2, amount: 10 });
  for (const scenario of scenarios) await measure(app.port, scenario, { connections: 2, amount: 4 });
}

/**
 * Rounds of the ceiling then every page, one autocannon instance each, so that the ratio of a page to
 * the ceiling is not the drift of a noisy machine between them; each row is the median of its rounds
 * against the median of the ceiling's.
 */
export async function measurePages(app: Started, ceiling: Started, scenarios: Scenario[], load: Load, onRow: (line: string) => void): Promise<PageRow[]> {
  const ceilingRounds: Measured[] = [];
  const rounds = new Map<Scenario, Measured[]>(scenarios.map((scenario) => [scenario, []]));
  for (let round = 1; round <= load.rounds; round += 1) {
    ceilingRounds.push(await measure(ceiling.port, ceilingScenario, load));
    onRow(`round ${round}: ${ceilingScenario.name} ${ceilingRounds.at(-1)!.rate.toFixed(0)} req/s`);
    for (const scenario of scenarios) {
      const measured = await measure(app.port, scenario, load);
      const settling = performance.now();
      await settle(app.port);
      rounds.get(scenario)!.push(measured);
      onRow(`round ${round}: ${scenario.name} ${measured.rate.toFixed(0)} req/s, p99 ${measured.p99.toFixed(0)} ms, ${measured.statuses}, ${measured.unfinished} unfinished, settled in ${((performance.now() - settling) / 1000).toFixed(1)} s`);
    }
  }
  const ceilingRate = median(ceilingRounds).rate;
  return [
    { name: ceilingScenario.name, kind: 'ceiling', measured: median(ceilingRounds), share: 1 },
    ...scenarios.map((scenario) => {
      const measured = median(rounds.get(scenario)!);
      return { name: scenario.name, kind: scenario.kind, measured, share: measured.rate / ceilingRate };
    }),
  ];
}

/** One side of the growth check: an app running at a scale, and its pages. */
type PairSide = { app: Started; scenarios: Scenario[] };

/**
 * The growth check (item 4): each page at the small scale and at the full one, one right after the
 * other (which goes first alternating from round to round), so that the two are a few seconds apart
 * and the machine's drift between them is small; each side's median of the rounds. The apps of both
 * scales run side by side on their own databases and sessions.
 */
export async function measurePairs(full: PairSide, small: PairSide, load: Load, onRow: (line: string) => void): Promise<GrowthRow[]> {
  const rounds = full.scenarios.map((scenario) => ({ scenario, other: small.scenarios.find((candidate) => candidate.name === scenario.name), full: [] as Measured[], small: [] as Measured[] }));
  const paired = rounds.filter((row) => row.other !== undefined);
  for (let round = 1; round <= load.rounds; round += 1) {
    for (const row of paired) {
      const sides = [
        { app: full.app, scenario: row.scenario, into: row.full },
        { app: small.app, scenario: row.other!, into: row.small },
      ];
      for (const side of round % 2 === 1 ? sides : sides.reverse()) {
        side.into.push(await measure(side.app.port, side.scenario, load));
        await settle(side.app.port);
      }
      onRow(`round ${round}: ${row.scenario.name} small ${row.small.at(-1)!.rate.toFixed(0)} req/s, full ${row.full.at(-1)!.rate.toFixed(0)} req/s`);
    }
  }
  return paired.map((row) => ({ name: row.scenario.name, small: median(row.small), full: median(row.full) }));
}

/** bcrypt's own compare rate in this process: `concurrency` compares in flight for `seconds`. */
export async function bcryptCompareRate(cost: number, concurrency: number, seconds: number): Promise<number> {
  const hash = await bcrypt.hash('bench-password', cost);
  let count = 0;
  const started = performance.now();
  const until = started + seconds * 1000;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < until) {
        await bcrypt.compare('bench-password', hash);
        count += 1;
      }
    }),
  );
  return count / ((performance.now() - started) / 1000);
}

/** The sign-in's load lasts this many times a page's (--seconds). */
const signInTimes = 3;

/** After sign-ins: the app answering again, and bcrypt's threads done with the sign-ins still in flight. */
async function settleAfterSignIns(app: Started): Promise<void> {
  await settle(app.port);
  await untilIdle(app.pid);
}

/**
 * The sign-in POST beside bcrypt's own rate, then the client dashboard alone and during a burst of
 * sign-ins (both loads at once), with a fifth of the connections on the dashboard.
 */
export async function measureSignIn(app: Started, password: string, targets: Parameters<typeof signInScenario>[0], dashboard: Scenario, bcryptCost: number, load: Load): Promise<SignInMeasure> {
  // Fifty sign-ins in flight take seconds each at cost 12: the rate counts those answered within the
  // time, so the ones still hashing when it is up are lost work, and bcrypt's own rate (which waits for
  // its last compares) has no such loss. A longer time makes that edge a smaller part of both.
  const signInLoad = { ...load, seconds: load.seconds * signInTimes };
  const bcryptRate = await bcryptCompareRate(bcryptCost, load.connections, signInLoad.seconds);
  const signIns = signInScenario(targets, password);
  const signInMeasure = await measure(app.port, signIns, signInLoad);
  await settleAfterSignIns(app);
  const dashboardLoad = { connections: Math.max(2, Math.round(load.connections / 5)), seconds: load.seconds };
  const dashboardAlone = await measure(app.port, dashboard, dashboardLoad);
  await settle(app.port);
  const [, dashboardDuringBurst] = await Promise.all([measure(app.port, signIns, load), measure(app.port, dashboard, dashboardLoad)]);
  await settleAfterSignIns(app);
  return { bcryptCost, bcryptRate, signIns: signInMeasure, dashboardAlone, dashboardDuringBurst };
}

/**
 * The client dashboard on one worker against several (item 7): the running app (of `workers`) and a
 * second app beside it on the same database and sessions, of 2 workers when the first has 1, else of 1.
 */
export async function measureWorkers(app: Started, workers: number, database: DatabaseAt, bcryptCost: number, clientCookies: string[], slug: string, load: Load): Promise<WorkersMeasure> {
  const dashboard: Scenario = { name: 'client dashboard', kind: 'dashboard', requests: randomGets(clientCookies.map((cookie) => ({ path: `/${slug}/portal`, cookie }))), expected: [200] };
  const otherCount = workers === 1 ? 2 : 1;
  const other = await startApp(database, { workers: otherCount, bcryptCost });
  try {
    await measure(other.port, dashboard, { connections: 2, amount: 4 });
    const running = await measure(app.port, dashboard, load);
    await settle(app.port);
    const started = await measure(other.port, dashboard, load);
    return workers === 1 ? { one: running, many: started, manyCount: otherCount } : { one: started, many: running, manyCount: workers };
  } finally {
    await other.stop();
  }
}

import { Agent } from 'node:http';
import type { Knex } from 'knex';
import type { TcpProxy } from '../test/support/tcp-proxy.js';
import { benchPassword, jsonLines, sleep, waitUntil, type RunningServer } from './fault-server.js';
import { send, signIn, startLoad, tally, type Sample, type Target } from './http-load.js';

/** One expectation of issue 19 and what the run saw. */
export type Check = { fault: string; expectation: string; seen: string; isMet: boolean };

type Context = { server: RunningServer; db: Knex; slug: string; concurrency: number };

const portal = (context: Context, cookie: string): Target => ({ port: context.server.port, path: `/${context.slug}/portal`, cookie });

async function signedInCookies(context: Context, count: number): Promise<string[]> {
  const cookies: string[] = [];
  for (let index = 0; index < count; index += 1) cookies.push(await signIn(context.server.port, context.slug, 'client', benchPassword));
  return cookies;
}

/** The sign-in counter of this machine's address, as the server sees it over loopback. */
async function addressCounter(db: Knex): Promise<{ failures: number; inFlight: number }> {
  const rows = await db('login_throttles').whereIn('throttle_key', ['ip:127.0.0.1', 'ip:::ffff:127.0.0.1', 'ip:::1']);
  const sum = (column: string) => rows.reduce((total: number, row: Record<string, unknown>) => total + Number(row[column] ?? 0), 0);
  return { failures: sum('failures'), inFlight: sum('in_flight') };
}

/** Rounds of eight correct sign-ins of one login at once. */
export async function parallelSignIns(context: Context, rounds = 5): Promise<Check[]> {
  const before = await addressCounter(context.db);
  const statuses: number[] = [];
  for (let round = 0; round < rounds; round += 1) {
    const results = await Promise.all(Array.from({ length: 8 }, () => signIn(context.server.port, context.slug, 'client', benchPassword).then(() => 303, (error: Error) => Number(/(\d{3})$/.exec(error.message)?.[1] ?? 0))));
    statuses.push(...results);
  }
  const after = await addressCounter(context.db);
  const succeeded = statuses.filter((status) => status === 303).length;
  return [
    { fault: `sign-ins 8 at once ×${rounds}`, expectation: 'every one signs in (no 500, no 429)', seen: `${succeeded}/${statuses.length} signed in; others: ${statuses.filter((status) => status !== 303).join(' ') || 'none'}`, isMet: succeeded === statuses.length },
    { fault: `sign-ins 8 at once ×${rounds}`, expectation: 'the address counter gains nothing', seen: `failures ${before.failures} → ${after.failures}, in flight ${after.inFlight}`, isMet: after.failures === before.failures && after.inFlight === 0 },
  ];
}

/** The database cut for a while under load of signed-in users and new visitors. */
export async function databaseCut(context: Context, proxy: TcpProxy, outageSeconds: number): Promise<Check[]> {
  const cookies = await signedInCookies(context, context.concurrency);
  const visitors = Array.from({ length: 4 }, () => ({ port: context.server.port, path: `/${context.slug}/login` }));
  const load = startLoad(cookies.map((cookie) => portal(context, cookie)));
  // The sign-in form of a first visit needs no database (the tenant is cached, the form's token is in a cookie).
  const visitorLoad = startLoad(visitors);
  await sleep(2000);
  const cutAt = Date.now();
  const logFrom = context.server.output.length;
  proxy.cut();
  await sleep(outageSeconds * 1000);
  const restoredAt = Date.now();
  proxy.restore();
  await sleep(3000);
  await load.stop();
  await visitorLoad.stop();
  const logLines = context.server.output.slice(logFrom);
  // Requests sent after the cut and answered before the database was back.
  const isDuringCut = (sample: { at: number; milliseconds: number }) => sample.at - sample.milliseconds > cutAt && sample.at < restoredAt;
  const during = load.samples.filter(isDuringCut);
  const visitorsDuring = visitorLoad.samples.filter(isDuringCut);
  const afterCut = [...load.samples, ...visitorLoad.samples].filter((sample) => sample.at > cutAt);
  const firstSignedIn = load.samples.find((sample) => sample.at > restoredAt && sample.status === 200);
  const stillSignedIn = (await Promise.all(cookies.map((cookie) => send(new Agent(), portal(context, cookie))))).filter((reply) => reply.status === 200).length;
  const structured = jsonLines(logLines);
  const messages = (message: string) => structured.filter((line) => line.msg === message).length;
  const bytes = logLines.reduce((sum, line) => sum + Buffer.byteLength(line.text) + 1, 0);
  const plainLines = logLines.length - structured.length;
  const stackLines = structured.filter((line) => line.err && line.msg !== 'database unreachable').length;
  const fault = `database cut ${outageSeconds} s`;
  // FAULT_VERBOSE=1 shows what went against the expectations, to find where it comes from.
  if (process.env.FAULT_VERBOSE) {
    for (const line of logLines.filter((each) => !each.text.startsWith('{')).slice(0, 40)) console.log(`plain ${line.stream} line: ${line.text}`);
    for (const line of structured.filter((each) => each.err && each.msg !== 'database unreachable').slice(0, 10)) console.log(`line with a stack: ${JSON.stringify(line).slice(0, 600)}`);
    for (const sample of afterCut.filter((each) => each.isNewConnection || each.error).slice(0, 20)) console.log(`dropped at +${sample.at - cutAt} ms: ${JSON.stringify(sample)}`);
  }
  return [
    { fault, expectation: 'signed-in pages: only 503 while it is cut', seen: tally(during), isMet: during.length > 0 && during.every((sample) => sample.status === 503) },
    { fault, expectation: 'the sign-in form still shows (no database)', seen: tally(visitorsDuring), isMet: visitorsDuring.length > 0 && visitorsDuring.every((sample) => sample.status === 200) },
    { fault, expectation: 'no connection dropped', seen: `${afterCut.filter((sample) => sample.isNewConnection || sample.error).length} new connections or errors`, isMet: afterCut.every((sample) => !sample.isNewConnection && !sample.error) },
    { fault, expectation: 'a signed-in page within 1 s of its return', seen: firstSignedIn ? `${firstSignedIn.at - restoredAt} ms` : 'never', isMet: Boolean(firstSignedIn) && firstSignedIn!.at - restoredAt < 1000 },
    { fault, expectation: 'every user still signed in after', seen: `${stillSignedIn}/${cookies.length}`, isMet: stillSignedIn === cookies.length },
    { fault, expectation: 'JSON log: a line per request, the outage once', seen: `${(bytes / 1024).toFixed(0)} kB, ${logLines.length} lines (${plainLines} plain, ${stackLines} with a stack), unreachable ×${messages('database unreachable')}, back ×${messages('database reachable again')}`, isMet: plainLines === 0 && stackLines === 0 && messages('database reachable again') >= 1 },
  ];
}

/** One worker killed under load: the primary starts another. */
export async function workerKill(context: Context): Promise<Check[]> {
  const cookies = await signedInCookies(context, 4);
  const load = startLoad(cookies.map((cookie) => portal(context, cookie)));
  await sleep(1000);
  const workers = context.server.listeningPids();
  const killedAt = Date.now();
  process.kill(workers.at(-1)!, 'SIGKILL');
  await waitUntil(() => context.server.listeningPids().length > workers.length, 30_000, () => 'no worker came back');
  const restartMs = Date.now() - killedAt;
  await sleep(1000);
  await load.stop();
  const afterRestart = load.samples.filter((sample) => sample.at > killedAt + restartMs + 200);
  return [
    { fault: 'a worker killed', expectation: 'another worker listens within 5 s', seen: `${restartMs} ms`, isMet: restartMs < 5000 },
    { fault: 'a worker killed', expectation: 'every request answered once it is back', seen: tally(afterRestart), isMet: afterRestart.length > 0 && afterRestart.every((sample) => sample.status === 200) },
  ];
}

/** SIGTERM to the primary under keep-alive load. */
export async function shutdown(context: Context): Promise<Check[]> {
  const cookies = await signedInCookies(context, context.concurrency);
  const load = startLoad(cookies.map((cookie) => portal(context, cookie)));
  await sleep(1000);
  const signalledAt = Date.now();
  context.server.child.kill('SIGTERM');
  const code = await context.server.exited;
  const exitMs = Date.now() - signalledAt;
  await load.stop();
  const after: Sample[] = load.samples.filter((sample) => sample.at > signalledAt);
  const answered = after.filter((sample) => sample.status > 0);
  // A request on a connection it had used before is cut; one on a new connection was never taken.
  const cut = after.filter((sample) => sample.error && !sample.isNewConnection);
  return [
    { fault: 'SIGTERM under keep-alive load', expectation: 'exit 0 within 2 s', seen: `exit ${code} after ${exitMs} ms`, isMet: code === 0 && exitMs < 2000 },
    { fault: 'SIGTERM under keep-alive load', expectation: 'answers after it whole (some say close)', seen: `${answered.filter((sample) => sample.connection === 'close').length}/${answered.length} (${tally(answered)})`, isMet: answered.every((sample) => sample.status === 200) },
    { fault: 'SIGTERM under keep-alive load', expectation: 'no request cut (new ones refused)', seen: `cut: ${tally(cut)}; refused: ${tally(after.filter((sample) => sample.error && sample.isNewConnection))}`, isMet: cut.length === 0 },
  ];
}

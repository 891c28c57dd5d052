import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';

/** How much higher the password threads' nice value is than the process's: at 10 more, a thread of the process gets about ten times their share of a busy core. */
export const passwordNiceness = 10;

/**
 * At most this many password threads a process, however many cores the host has: each holds about
 * 10 MB, and more threads than cores only share the cores. Several processes (WEB_CONCURRENCY) each
 * have their own.
 */
export const mostPasswordThreads = 8;

const workerSource = `
const { parentPort, workerData } = require('node:worker_threads');
const { readlinkSync } = require('node:fs');
const { getPriority, setPriority } = require('node:os');
const bcrypt = require(workerData.bcrypt);
try {
  // /proc/thread-self names this thread; a thread of Linux is niced on its own.
  const thread = Number(readlinkSync('/proc/thread-self').split('/').pop());
  setPriority(thread, Math.min(19, getPriority(thread) + ${passwordNiceness}));
} catch {}
parentPort.on('message', (job) => {
  try {
    const result = job.kind === 'compare' ? bcrypt.compareSync(job.password, job.hash) : bcrypt.hashSync(job.password, job.cost);
    parentPort.postMessage({ result });
  } catch (error) {
    parentPort.postMessage({ error: error instanceof Error ? error.message : String(error) });
  }
});
`;

type JobRequest = { kind: 'compare'; password: string; hash: string } | { kind: 'hash'; password: string; cost: number };
/** A thread does one job at a time: its answer is that of the job it was given (`busy`). */
type Waiting = { job: JobRequest; resolve(value: unknown): void; reject(error: Error): void };
type Answer = { result?: unknown; error?: string };

const bcryptPath = createRequire(import.meta.url).resolve('bcrypt');

/**
 * bcrypt's work on threads of its own at a lower priority (nice 10) than the rest of the process and
 * the database: a burst of sign-ins on the billing day takes the CPU the pages leave, instead of
 * sharing it equally with them. bcrypt's own async calls run on libuv's four threads at the process's
 * priority; on two cores a burst of fifty sign-ins made the pages' p99 twelve times longer. The
 * threads are as many as the cores (bcrypt is pure CPU) up to `mostPasswordThreads`, each does one
 * hash at a time, and the rest wait in line; a thread whose priority cannot be lowered (not Linux)
 * works at the normal one.
 */
class PasswordWorkers {
  private readonly idle: Worker[] = [];
  private readonly queue: Waiting[] = [];
  private readonly busy = new Map<Worker, Waiting>();

  constructor(private readonly size: number) {}

  run<T>(job: JobRequest): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ job, resolve: resolve as (value: unknown) => void, reject });
      this.dispatch();
    });
  }

  private dispatch(): void {
    while (this.queue.length > 0) {
      const worker = this.idle.pop() ?? (this.busy.size < this.size ? this.start() : undefined);
      if (!worker) return;
      const waiting = this.queue.shift()!;
      this.busy.set(worker, waiting);
      worker.ref();
      worker.postMessage(waiting.job);
    }
  }

  private start(): Worker {
    const worker = new Worker(workerSource, { eval: true, workerData: { bcrypt: bcryptPath } });
    worker.on('message', (answer: Answer) => {
      const waiting = this.busy.get(worker);
      this.busy.delete(worker);
      // An idle thread keeps no process alive (a CLI run ends when its work is done).
      worker.unref();
      this.idle.push(worker);
      if (waiting) {
        if (answer.error !== undefined) waiting.reject(new Error(answer.error));
        else waiting.resolve(answer.result);
      }
      this.dispatch();
    });
    worker.on('error', (error) => this.lose(worker, error));
    worker.on('exit', (code) => this.lose(worker, new Error(`a password thread stopped (exit code ${code})`)));
    return worker;
  }

  /** A thread that died takes its job's answer with it: the job fails, the others go on with a new thread. */
  private lose(worker: Worker, error: Error): void {
    const waiting = this.busy.get(worker);
    this.busy.delete(worker);
    const index = this.idle.indexOf(worker);
    if (index !== -1) this.idle.splice(index, 1);
    waiting?.reject(error);
    this.dispatch();
  }
}

/** How many password threads a process of this host starts at most: one a core, between 1 and mostPasswordThreads. */
export function passwordThreadCount(cores = availableParallelism()): number {
  return Math.min(mostPasswordThreads, Math.max(1, cores));
}

const workers = new PasswordWorkers(passwordThreadCount());

/** bcrypt.compare on a password thread. */
export function compareOnWorker(password: string, hash: string): Promise<boolean> {
  return workers.run<boolean>({ kind: 'compare', password, hash });
}

/** bcrypt.hash on a password thread. */
export function hashOnWorker(password: string, cost: number): Promise<string> {
  return workers.run<string>({ kind: 'hash', password, cost });
}

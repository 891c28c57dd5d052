import type { Knex } from 'knex';

/**
 * Work that must run last in a transaction, after the verb's own work and just before the commit
 * (the audit chain appends there: docs/decisions.md, "The audit chain"). Only transactions opened
 * through runWithCommitTasks take such work; for any other the caller runs it at once.
 */
const tasksOf = new WeakMap<Knex.Transaction, Array<() => Promise<void>>>();

/** Runs work in the transaction, then the tasks deferred to its end, in the order they came. */
export async function runWithCommitTasks<T>(trx: Knex.Transaction, work: () => Promise<T>): Promise<T> {
  const tasks: Array<() => Promise<void>> = [];
  tasksOf.set(trx, tasks);
  const result = await work();
  // A task may defer another one; the loop reads the length each time.
  for (let index = 0; index < tasks.length; index += 1) await tasks[index]!();
  tasksOf.delete(trx);
  return result;
}

/**
 * Defers a task to the end of the transaction.
 * @returns false when the transaction was not opened through runWithCommitTasks (the task did not run)
 */
export function deferToCommit(trx: Knex.Transaction, task: () => Promise<void>): boolean {
  const tasks = tasksOf.get(trx);
  if (!tasks) return false;
  tasks.push(task);
  return true;
}

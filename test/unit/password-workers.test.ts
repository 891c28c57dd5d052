import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { passwordNiceness, passwordThreadCount } from '../../src/lib/password-workers.js';
import { hashPassword, verifyAgainstDummy, verifyPassword } from '../../src/lib/passwords.js';

/** The nice value of every thread of this process (Linux: field 19 of /proc/self/task/TID/stat). */
function threadNiceness(): number[] {
  return readdirSync('/proc/self/task').map((tid) => Number(readFileSync(`/proc/self/task/${tid}/stat`, 'utf8').split(') ')[1]!.split(' ')[16]));
}

describe('bcrypt on the password threads', () => {
  it('hashes and checks passwords, several at once, each answer to its own question', async () => {
    const hash = await hashPassword('correct horse 42', 4);
    expect(hash).toMatch(/^\$2b\$04\$/);
    const answers = await Promise.all(['correct horse 42', 'wrong', 'correct horse 42', 'Correct horse 42', '', 'correct horse 42'].map((password) => verifyPassword(password, hash)));
    expect(answers).toEqual([true, false, true, false, false, true]);
    expect(await verifyAgainstDummy('anything', 4)).toBe(false);
  });

  it('refuses a broken hash with an error, and the threads go on working', async () => {
    await expect(hashPassword('x', 99)).rejects.toThrow();
    const hash = await hashPassword('still works', 4);
    expect(await verifyPassword('still works', hash)).toBe(true);
  });

  it.runIf(process.platform === 'linux')('runs them below the rest of the process: the threads have a higher nice value', async () => {
    await verifyPassword('x', await hashPassword('x', 4));
    const own = Number(readFileSync('/proc/self/stat', 'utf8').split(') ')[1]!.split(' ')[16]);
    expect(threadNiceness()).toContain(own + passwordNiceness);
  });

  it('starts one thread a core, at least one and at most eight', () => {
    expect([0, 1, 2, 7, 8, 64].map((cores) => passwordThreadCount(cores))).toEqual([1, 1, 2, 7, 8, 8]);
  });

  it.runIf(process.platform === 'linux')('answers a burst of more passwords than threads, none starting a thread beyond this host\'s count', async () => {
    const hash = await hashPassword('in line', 4);
    const own = Number(readFileSync('/proc/self/stat', 'utf8').split(') ')[1]!.split(' ')[16]);
    const answers = await Promise.all(Array.from({ length: 3 * passwordThreadCount() + 2 }, () => verifyPassword('in line', hash)));
    expect(answers.every(Boolean)).toBe(true);
    expect(threadNiceness().filter((nice) => nice === own + passwordNiceness).length).toBeLessThanOrEqual(passwordThreadCount());
  });
});

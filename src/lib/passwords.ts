import bcrypt from 'bcrypt';
import { compareOnWorker, hashOnWorker } from './password-workers.js';

/** bcrypt reads no further than 72 bytes; longer passwords are refused rather than silently cut. */
export const maximumPasswordBytes = 72;
export const minimumPasswordLength = 8;

/** Hashes and compares run on the password threads, below the pages' priority (lib/password-workers.ts). */
export function hashPassword(password: string, cost: number): Promise<string> {
  return hashOnWorker(password, cost);
}

export function verifyPassword(password: string, hash: string): Promise<boolean> {
  return compareOnWorker(password, hash);
}

/** A hash made with another cost than today's is replaced at the next sign-in, so all hashes take the same time. */
export function needsRehash(hash: string, cost: number): boolean {
  return bcrypt.getRounds(hash) !== cost;
}

const dummyHashes = new Map<number, Promise<string>>();

/**
 * Compares against a hash of the same cost when there is no real one (unknown login,
 * account without a password), so a failed sign-in takes the same time either way.
 */
export async function verifyAgainstDummy(password: string, cost: number): Promise<false> {
  let dummy = dummyHashes.get(cost);
  if (!dummy) {
    dummy = hashOnWorker('dummy password for constant timing', cost);
    dummyHashes.set(cost, dummy);
  }
  await compareOnWorker(password, await dummy);
  return false;
}

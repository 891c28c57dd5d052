import bcrypt from 'bcrypt';

/** bcrypt reads no further than 72 bytes; longer passwords are refused rather than silently cut. */
export const maximumPasswordBytes = 72;
export const minimumPasswordLength = 8;

export function hashPassword(password: string, cost: number): Promise<string> {
  return bcrypt.hash(password, cost);
}

export function verifyPassword(password: string, hash: string): Promise<boolean> {
  return bcrypt.compare(password, hash);
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
    dummy = bcrypt.hash('dummy password for constant timing', cost);
    dummyHashes.set(cost, dummy);
  }
  await bcrypt.compare(password, await dummy);
  return false;
}

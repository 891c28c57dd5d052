import { createHash } from 'node:crypto';

/**
 * The audit chain's arithmetic, without a database: the canonical content of a row, its hash,
 * and the walk that finds the first row where the chain does not hold (docs/decisions.md,
 * "The audit chain"). The migration that chained existing rows uses it too, so the format is
 * defined once.
 */

/** The previous hash of a tenant's first row. */
export const genesisHash = '0'.repeat(64);

/** What a row's hash covers: every column but its id, its own hash and its IP address. */
export type ChainContent = {
  tenantId: number;
  sequence: number;
  createdAt: string;
  actorId: number | null;
  action: string;
  subjectType: string | null;
  subjectId: number | null;
  /** The details column as stored: canonical JSON (canonicalJson) or null. */
  details: string | null;
  previousHash: string | null;
};

export type ChainedRow = ChainContent & { id: number; hash: string | null };
export type ChainHead = { lastSequence: number; lastHash: string };

/**
 * The first row where the chain does not hold. 'edited': the row's content no longer matches its
 * hash; 'missing': no row has this sequence (removed); 'out-of-place': the row does not follow
 * the one before it (inserted or reordered). A row without a sequence has sequence null.
 */
export type ChainBreak = { kind: 'edited' | 'missing' | 'out-of-place'; sequence: number | null; rowId: number | null };

/** JSON with the keys of every object sorted, so equal details always serialize alike. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortedKeys(value));
}

function sortedKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortedKeys);
  if (value === null || typeof value !== 'object') return value;
  const entries = Object.entries(value as Record<string, unknown>).filter(([, item]) => item !== undefined);
  return Object.fromEntries(entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([key, item]) => [key, sortedKeys(item)]));
}

/**
 * The canonical content of a row: a JSON array of its fields in a fixed order. An array of JSON
 * values cannot be confused by a separator inside a value, and times and details are taken as
 * stored, so a verifier recomputes exactly what the writer hashed.
 */
export function canonicalContent(row: ChainContent): string {
  return JSON.stringify([
    row.tenantId,
    row.sequence,
    row.createdAt,
    row.actorId,
    row.action,
    row.subjectType,
    row.subjectId,
    row.details,
    row.previousHash,
  ]);
}

/** The row's hash: SHA-256 of its canonical content (UTF-8), in lower-case hex. */
export function chainHash(row: ChainContent): string {
  return createHash('sha256').update(canonicalContent(row), 'utf8').digest('hex');
}

/** Where a walk along the chain has got to. */
export type ChainWalk = { head: ChainHead | undefined; nextSequence: number; previousHash: string; previous: ChainedRow | undefined; checked: number };

/** A walk from the first row; the head, when known, says where the chain must end. */
export function startWalk(head: ChainHead | undefined): ChainWalk {
  return { head, nextSequence: 1, previousHash: genesisHash, previous: undefined, checked: 0 };
}

/**
 * Checks the next row (rows come in order of sequence) and moves the walk on.
 * @returns the break this row shows, or undefined when the chain holds so far
 */
export function stepWalk(walk: ChainWalk, row: ChainedRow): ChainBreak | undefined {
  const at = (kind: ChainBreak['kind'], found: ChainedRow = row): ChainBreak => ({ kind, sequence: found.sequence, rowId: found.id });
  if (row.sequence > walk.nextSequence) return { kind: 'missing', sequence: walk.nextSequence, rowId: null };
  if (row.sequence < walk.nextSequence || (walk.head && row.sequence > walk.head.lastSequence)) return at('out-of-place');
  const isIntact = chainHash(row) === row.hash;
  if (row.previousHash !== walk.previousHash) {
    // A row that still matches its own hash but not its predecessor's: the predecessor was
    // rewritten together with its hash. A row that matches neither came from somewhere else.
    return isIntact && walk.previous ? at('edited', walk.previous) : at('out-of-place');
  }
  if (!isIntact) return at('edited');
  if (walk.head && row.sequence === walk.head.lastSequence && row.hash !== walk.head.lastHash) return at('edited');
  walk.nextSequence += 1;
  walk.previousHash = row.hash!;
  walk.previous = row;
  walk.checked += 1;
  return undefined;
}

/** After the last row: the head says rows came after it that are not there (removed from the end). */
export function endWalk(walk: ChainWalk): ChainBreak | undefined {
  if (walk.head && walk.head.lastSequence >= walk.nextSequence) return { kind: 'missing', sequence: walk.nextSequence, rowId: null };
  return undefined;
}

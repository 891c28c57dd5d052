import { describe, expect, it } from 'vitest';
import {
  canonicalContent,
  canonicalJson,
  chainHash,
  endWalk,
  genesisHash,
  startWalk,
  stepWalk,
  type ChainBreak,
  type ChainedRow,
  type ChainHead,
} from '../../src/lib/audit-chain.js';

const content = {
  tenantId: 7,
  sequence: 1,
  createdAt: '2026-01-02 03:04:05',
  actorId: 12,
  action: 'user.locked',
  subjectType: 'user',
  subjectId: 34,
  details: '{"a":1}',
  previousHash: genesisHash,
};

/** A valid chain of rows 1..count, each hashed over the one before. */
function chainOf(count: number): ChainedRow[] {
  const rows: ChainedRow[] = [];
  for (let sequence = 1; sequence <= count; sequence += 1) {
    const row = { ...content, id: 100 + sequence, sequence, action: `event.${sequence}`, previousHash: rows.at(-1)?.hash ?? genesisHash };
    rows.push({ ...row, hash: chainHash(row) });
  }
  return rows;
}

const headOf = (rows: ChainedRow[]): ChainHead => ({ lastSequence: rows.at(-1)!.sequence, lastHash: rows.at(-1)!.hash! });

/** Walks rows as verification reads them (ordered by sequence) and returns the first break. */
function firstBreak(rows: ChainedRow[], head: ChainHead | undefined): ChainBreak | undefined {
  const walk = startWalk(head);
  for (const row of [...rows].sort((a, b) => a.sequence - b.sequence)) {
    const found = stepWalk(walk, row);
    if (found) return found;
  }
  return endWalk(walk);
}

describe('the canonical form of an audit row', () => {
  it('sorts the keys of details at every depth and keeps the order of arrays', () => {
    expect(canonicalJson({ to: 2, from: { b: 1, a: [3, 1, { z: 0, y: 0 }] } })).toBe('{"from":{"a":[3,1,{"y":0,"z":0}],"b":1},"to":2}');
    expect(canonicalJson({ b: 1, a: 2 })).toBe(canonicalJson({ a: 2, b: 1 }));
  });

  it('leaves out keys whose value is undefined, as JSON does', () => {
    expect(canonicalJson({ a: undefined, b: null })).toBe('{"b":null}');
  });

  it('is a JSON array of the fields in a fixed order, with details and time as stored', () => {
    expect(canonicalContent(content)).toBe(
      '[7,1,"2026-01-02 03:04:05",12,"user.locked","user",34,"{\\"a\\":1}","0000000000000000000000000000000000000000000000000000000000000000"]',
    );
  });

  it('cannot be confused by a separator inside a value', () => {
    const joined = { ...content, action: 'a', subjectType: 'b,c' };
    const split = { ...content, action: 'a,b', subjectType: 'c' };
    expect(canonicalContent(joined)).not.toBe(canonicalContent(split));
  });

  it('hashes to the SHA-256 that the documented format gives (a change of format breaks every stored chain)', () => {
    expect(chainHash(content)).toBe('083538dbd244483a930d8138e5627354b802cbc3c2c8ecc3f408a3a60d73c88e');
  });

  it('changes the hash when any hashed field changes', () => {
    const variants = [{ tenantId: 8 }, { sequence: 2 }, { createdAt: '2026-01-02 03:04:06' }, { actorId: null }, { action: 'user.unlocked' }, { subjectType: null }, { subjectId: 35 }, { details: null }, { previousHash: 'f'.repeat(64) }];
    const hashes = new Set(variants.map((change) => chainHash({ ...content, ...change })));
    expect(hashes.size).toBe(variants.length);
    expect(hashes.has(chainHash(content))).toBe(false);
  });
});

describe('walking an audit chain', () => {
  it('finds an intact chain intact and counts its rows', () => {
    const rows = chainOf(5);
    const walk = startWalk(headOf(rows));
    for (const row of rows) expect(stepWalk(walk, row)).toBeUndefined();
    expect(endWalk(walk)).toBeUndefined();
    expect(walk.checked).toBe(5);
  });

  it('names a row whose content was edited', () => {
    const rows = chainOf(5);
    rows[2] = { ...rows[2]!, details: '{"a":2}' };
    expect(firstBreak(rows, headOf(chainOf(5)))).toEqual({ kind: 'edited', sequence: 3, rowId: 103 });
  });

  it('names a row that was edited and given a recomputed hash, by the link of the row after it', () => {
    const rows = chainOf(5);
    const forged = { ...rows[1]!, action: 'user.unlocked' };
    rows[1] = { ...forged, hash: chainHash(forged) };
    expect(firstBreak(rows, headOf(rows))).toEqual({ kind: 'edited', sequence: 2, rowId: 102 });
  });

  it('names the last row when it was rewritten with its hash and the head disagrees', () => {
    const rows = chainOf(3);
    const head = headOf(rows);
    const forged = { ...rows[2]!, actorId: 99 };
    rows[2] = { ...forged, hash: chainHash(forged) };
    expect(firstBreak(rows, head)).toEqual({ kind: 'edited', sequence: 3, rowId: 103 });
  });

  it('reports a removed row as a missing sequence number', () => {
    const rows = chainOf(5);
    expect(firstBreak([...rows.slice(0, 2), ...rows.slice(3)], headOf(rows))).toEqual({ kind: 'missing', sequence: 3, rowId: null });
  });

  it('reports rows removed from the end, which only the head knows of', () => {
    const rows = chainOf(5);
    expect(firstBreak(rows.slice(0, 3), headOf(rows))).toEqual({ kind: 'missing', sequence: 4, rowId: null });
  });

  it('reports two rows that swapped places as out of place at the first of them', () => {
    const rows = chainOf(5);
    const swapped = rows.map((row) => (row.sequence === 2 ? { ...row, sequence: 4 } : row.sequence === 4 ? { ...row, sequence: 2 } : row));
    expect(firstBreak(swapped, headOf(rows))).toEqual({ kind: 'out-of-place', sequence: 2, rowId: 104 });
  });

  it('reports a forged row after the last one as out of place, even with a correct link and hash', () => {
    const rows = chainOf(3);
    const head = headOf(rows);
    const forged = { ...content, id: 999, sequence: 4, previousHash: head.lastHash };
    expect(firstBreak([...rows, { ...forged, hash: chainHash(forged) }], head)).toEqual({ kind: 'out-of-place', sequence: 4, rowId: 999 });
  });

  it('breaks right after a row inserted in the middle with a correct link and hash, at the first row moved up to make room', () => {
    const rows = chainOf(4);
    const forged = { ...content, id: 999, sequence: 3, previousHash: rows[1]!.hash };
    const moved = rows.map((row) => (row.sequence >= 3 ? { ...row, sequence: row.sequence + 1 } : row));
    const found = firstBreak([...moved, { ...forged, hash: chainHash(forged) }], { lastSequence: 5, lastHash: rows[3]!.hash! });
    expect(found).toEqual({ kind: 'out-of-place', sequence: 4, rowId: 103 });
  });
});

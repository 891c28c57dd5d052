import { describe, expect, it } from 'vitest';
import { decodeCursor, encodeCursor, keysetPageFrom, keysetPageOf } from '../../src/lib/keyset.js';

describe('keyset pagination (lib/keyset.ts)', () => {
  it('carries a sort value and an id through the address and back, a missing town included', () => {
    for (const cursor of [{ value: 'Łódzka Spółdzielnia & "Syn"', id: 42 }, { value: null, id: 7 }, { value: '2026-11-01 10:00:00', id: 1 }]) {
      expect(decodeCursor(encodeCursor(cursor))).toEqual(cursor);
      expect(encodeCursor(cursor)).toMatch(/^[\w-]+$/);
    }
  });

  it('takes anything that is not a cursor for none, so the list starts at its top', () => {
    const garbage = ['', 'abc', Buffer.from('[1,2,3]').toString('base64url'), Buffer.from('["x",0]').toString('base64url'), Buffer.from('["x",1.5]').toString('base64url'), Buffer.from('[{},1]').toString('base64url'), 'x'.repeat(401), 17, undefined];
    for (const text of garbage) expect(decodeCursor(text)).toBeUndefined();
    expect(keysetPageFrom({ page: '9' }, 25)).toEqual({ page: 1, perPage: 25 });
    expect(keysetPageFrom({ page: '3', after: 'garbage' }, 25)).toEqual({ page: 1, perPage: 25 });
  });

  it('reads the page after a cursor, or before one, with its number for the caption', () => {
    const after = encodeCursor({ value: 'B', id: 2 });
    expect(keysetPageFrom({ page: '3', after }, 25)).toEqual({ page: 3, perPage: 25, after: { value: 'B', id: 2 } });
    expect(keysetPageFrom({ page: '2', before: after }, 25)).toEqual({ page: 2, perPage: 25, before: { value: 'B', id: 2 } });
  });

  it('knows from one row more than a page whether another follows, and links back to the list itself from page 2', () => {
    const cursorOf = (row: { id: number }) => ({ value: `v${row.id}`, id: row.id });
    const rows = (ids: number[]) => ids.map((id) => ({ id }));
    const second = keysetPageOf({ page: 2, perPage: 2, after: { value: 'v2', id: 2 } }, rows([3, 4, 5]), { total: 5, isCapped: false }, cursorOf);
    expect(second.rows).toEqual(rows([3, 4]));
    expect(second.pagination).toMatchObject({ page: 2, pages: 3, hasPrevious: true, hasNext: true, previous: {}, next: { after: encodeCursor({ value: 'v4', id: 4 }) } });
    const last = keysetPageOf({ page: 3, perPage: 2, after: { value: 'v4', id: 4 } }, rows([5]), { total: 5, isCapped: false }, cursorOf);
    expect(last.pagination).toMatchObject({ hasNext: false, previous: { before: encodeCursor({ value: 'v5', id: 5 }) } });
    // Read backwards (before a cursor): the rows come in reverse and are put back in the list's order.
    const back = keysetPageOf({ page: 2, perPage: 2, before: { value: 'v5', id: 5 } }, rows([4, 3, 2]), { total: 1000, isCapped: true }, cursorOf);
    expect(back.rows).toEqual(rows([3, 4]));
    expect(back.pagination).toMatchObject({ page: 2, pages: null, isTotalCapped: true, hasPrevious: true, hasNext: true });
  });
});

import type { Knex } from 'knex';

/**
 * Keyset pagination (issue 20) for lists too long for OFFSET: a page starts after (or ends before) the
 * sort value and id of a row the previous page showed, so page 400 of 100,000 customers reads 25 rows
 * from the index like page 1, instead of walking 10,000 first. The page's number rides along for the
 * pager's "page 3 of 40" only; the cursor decides what is read.
 */
export type Cursor = { value: string | null; id: number };
export type KeysetPage = { page: number; perPage: number; after?: Cursor; before?: Cursor };
export type KeysetPagination = {
  page: number;
  perPage: number;
  /** The rows counted, at most countedAtMost; isTotalCapped when there are more. */
  total: number;
  isTotalCapped: boolean;
  /** The number of pages, unknown (null) past the count's cap. */
  pages: number | null;
  hasPrevious: boolean;
  hasNext: boolean;
  /** The address parameters of the previous and next page's links (the pager adds them to the list's own). */
  previous: Record<string, string> | undefined;
  next: Record<string, string> | undefined;
};

/** A list counts at most this many rows: past it the page says "more than 1,000" and keeps its next link. */
export const countedAtMost = 1000;

/** A cursor as the address carries it: base64url of [value, id]. */
export function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify([cursor.value, cursor.id])).toString('base64url');
}

/** A cursor from the address, or undefined for anything that is not one (the list then starts at its top). */
export function decodeCursor(text: unknown): Cursor | undefined {
  if (typeof text !== 'string' || text.length === 0 || text.length > 400) return undefined;
  try {
    const decoded: unknown = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
    if (!Array.isArray(decoded) || decoded.length !== 2) return undefined;
    const [value, id] = decoded as [unknown, unknown];
    if ((value !== null && typeof value !== 'string') || !Number.isSafeInteger(id) || (id as number) < 1) return undefined;
    return { value: value as string | null, id: id as number };
  } catch {
    return undefined;
  }
}

/** The page the address asks for: after or before a cursor (after wins), with its number for the pager. */
export function keysetPageFrom(query: Record<string, unknown>, perPage: number): KeysetPage {
  const after = decodeCursor(query.after);
  const before = after ? undefined : decodeCursor(query.before);
  const number = Number(query.page);
  const page = (after || before) && Number.isInteger(number) && number >= 2 && number <= 1_000_000 ? number : 1;
  if (page === 1 && before) return { page: 1, perPage };
  return { page, perPage, ...(after ? { after } : {}), ...(before ? { before } : {}) };
}

/** One column of a keyset order: its SQL (with a collation where the list has one), its direction, and whether it may be null. */
export type KeysetOrder = { sql: string; direction: 'asc' | 'desc'; isNullable: boolean; idColumn: string };

/**
 * Orders a query by the column and the id for reading forwards (or backwards, for a page before a
 * cursor), starting past the cursor. NULLs come first going up and last going down, on both databases.
 */
export function readFrom(query: Knex.QueryBuilder, order: KeysetOrder, cursor: Cursor | undefined, isBackwards: boolean): Knex.QueryBuilder {
  const direction = isBackwards ? (order.direction === 'asc' ? 'desc' : 'asc') : order.direction;
  if (cursor) query.where((past) => wherePast(past, order, cursor, direction));
  // Both databases put NULLs first going up and last going down, as wherePast expects; the order
  // stays a plain column list, which the index serves without sorting.
  return query.orderByRaw(`${order.sql} ${direction}, ${order.idColumn} ${direction}`);
}

function wherePast(query: Knex.QueryBuilder, order: KeysetOrder, cursor: Cursor, direction: 'asc' | 'desc'): void {
  const beyond = direction === 'asc' ? '>' : '<';
  const id = order.idColumn;
  if (cursor.value === null) {
    // Going up, the NULLs come first: past a NULL are the other NULLs with a later id, then every value.
    query.where((same) => same.whereRaw(`${order.sql} is null`).whereRaw(`${id} ${beyond} ?`, [cursor.id]));
    if (direction === 'asc') query.orWhereRaw(`${order.sql} is not null`);
    return;
  }
  query.whereRaw(`${order.sql} ${beyond} ?`, [cursor.value]).orWhere((same) => same.whereRaw(`${order.sql} = ?`, [cursor.value]).whereRaw(`${id} ${beyond} ?`, [cursor.id]));
  if (order.isNullable && direction === 'desc') query.orWhereRaw(`${order.sql} is null`);
}

/**
 * The page's rows (read with one more than a page, to know whether another follows) in the list's
 * order, and its pager. `cursorOf` gives a row's cursor (its sort value and id).
 */
export function keysetPageOf<Row>(page: KeysetPage, read: Row[], count: { total: number; isCapped: boolean }, cursorOf: (row: Row) => Cursor): { rows: Row[]; pagination: KeysetPagination } {
  const isBackwards = Boolean(page.before);
  const hasMore = read.length > page.perPage;
  const kept = read.slice(0, page.perPage);
  const rows = isBackwards ? kept.reverse() : kept;
  const isFirst = page.page === 1 || (isBackwards && !hasMore);
  const number = isFirst ? 1 : page.page;
  const hasNext = isBackwards ? rows.length > 0 : hasMore;
  const first = rows[0];
  const last = rows[rows.length - 1];
  return {
    rows,
    pagination: {
      page: number,
      perPage: page.perPage,
      total: count.total,
      isTotalCapped: count.isCapped,
      pages: count.isCapped ? null : Math.max(1, Math.ceil(count.total / page.perPage)),
      hasPrevious: !isFirst && first !== undefined,
      hasNext: hasNext && last !== undefined,
      // Back to page 1 is the list's own address, without a cursor.
      previous: !isFirst && first !== undefined ? (number - 1 === 1 ? {} : { before: encodeCursor(cursorOf(first)) }) : undefined,
      next: last !== undefined ? { after: encodeCursor(cursorOf(last)) } : undefined,
    },
  };
}

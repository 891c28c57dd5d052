import type { Knex } from 'knex';
import { escape as escapeForMysql } from 'mysql2';

/**
 * How the large seed writes: multi-row INSERT statements of thousands of rows, with the ids a
 * statement got worked out from its answer instead of read back row by row; and a progress line
 * every few seconds. The values are written into the statement as literals, escaped by the
 * driver's own escaper (mysql2) or SQLite's rule (quotes doubled): binding 30,000 values a statement
 * through knex cost more than the database's work. Every value is the seed's own, none a person's input.
 */
export type Writer = {
  readonly isMysql: boolean;
  /** Whether a multi-row insert gets consecutive ids (SQLite always; MySQL unless innodb_autoinc_lock_mode = 2). */
  readonly idsAreConsecutive: boolean;
  readonly tenantId: number;
  readonly progress: Progress;
};

/** Values of one row, in the order of the statement's columns. */
export type Row = unknown[];

/** Statements stay well under MySQL's default packet (16 MB) and SQLite's statement length (1 GB). */
const rowsPerStatement = 4_000;

export async function openWriter(db: Knex, tenantId: number, progress: Progress): Promise<Writer> {
  const isMysql = db.client.config.client === 'mysql2';
  if (!isMysql) return { isMysql, idsAreConsecutive: true, tenantId, progress };
  const [rows] = (await db.raw('select @@innodb_autoinc_lock_mode as mode')) as [Array<{ mode: number }>];
  return { isMysql, idsAreConsecutive: Number(rows[0]?.mode) !== 2, tenantId, progress };
}

/**
 * Inserts the rows in statements of up to 4,000 rows (fewer for wide rows), tenant_id first.
 * @returns the new ids in the order of the rows
 */
export async function insertRows(writer: Writer, connection: Knex | Knex.Transaction, table: string, columns: readonly string[], rows: readonly Row[]): Promise<number[]> {
  const ids: number[] = [];
  for (let start = 0; start < rows.length; start += rowsPerStatement) {
    const chunk = rows.slice(start, start + rowsPerStatement);
    ids.push(...(await insertStatement(writer, connection, table, columns, chunk)));
    writer.progress.add(table, chunk.length);
  }
  return ids;
}

async function insertStatement(writer: Writer, connection: Knex | Knex.Transaction, table: string, columns: readonly string[], rows: readonly Row[]): Promise<number[]> {
  const literal = writer.isMysql ? mysqlLiteral : sqliteLiteral;
  const values = rows.map((row) => `(${writer.tenantId},${row.map(literal).join(',')})`);
  const sql = `insert into \`${table}\` (\`tenant_id\`,${columns.map((column) => `\`${column}\``).join(',')}) values ${values.join(',')}`;
  const answer = await connection.raw(sql);
  if (!writer.isMysql) {
    const last = Number((answer as { lastInsertRowid: number | bigint }).lastInsertRowid);
    return rows.map((_, index) => last - rows.length + 1 + index);
  }
  const first = Number((answer as [{ insertId: number }])[0].insertId);
  if (writer.idsAreConsecutive) return rows.map((_, index) => first + index);
  // Interleaved auto-increment: this statement's rows have ids from `first` on, in order, among other
  // tenants' rows; the seeded tenant's own rows of this table come only from here.
  const [found] = (await connection.raw(`select id from \`${table}\` where tenant_id = ? and id >= ? order by id limit ?`, [writer.tenantId, first, rows.length])) as [Array<{ id: number }>];
  return found.map((row) => Number(row.id));
}

function mysqlLiteral(value: unknown): string {
  return typeof value === 'number' ? String(value) : escapeForMysql(value as string | boolean | null);
}

function sqliteLiteral(value: unknown): string {
  if (value === null || value === undefined) return 'NULL';
  if (typeof value === 'boolean') return value ? '1' : '0';
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  return `'${String(value).replace(/'/g, "''")}'`;
}

/**
 * Rows written per table, and a line every two seconds or so: the table, the tenant's rows so far,
 * rows per second since the tenant's first row of the table.
 */
export class Progress {
  /** Over every tenant of the run. */
  readonly counts = new Map<string, number>();
  readonly #tenantCounts = new Map<string, number>();
  readonly #started = new Map<string, number>();
  readonly #report: (line: string) => void;
  #lastLineAt = Date.now();

  constructor(report: (line: string) => void) {
    this.#report = report;
  }

  add(table: string, rows: number): void {
    if (!this.#started.has(table)) this.#started.set(table, Date.now());
    this.counts.set(table, (this.counts.get(table) ?? 0) + rows);
    this.#tenantCounts.set(table, (this.#tenantCounts.get(table) ?? 0) + rows);
    if (Date.now() - this.#lastLineAt >= 2_000) this.#line(table);
  }

  /** The table's line now (at the end of a phase, so that every table is reported at least once). */
  finish(table: string): void {
    if (this.#tenantCounts.has(table)) this.#line(table);
  }

  /** The lines of the next tenant count from nothing. */
  nextTenant(): void {
    this.#tenantCounts.clear();
    this.#started.clear();
  }

  note(line: string): void {
    this.#report(line);
  }

  #line(table: string): void {
    this.#lastLineAt = Date.now();
    const count = this.#tenantCounts.get(table) ?? 0;
    const seconds = Math.max(0.001, (Date.now() - this.#started.get(table)!) / 1000);
    this.#report(`  ${table}: ${count.toLocaleString('en-US')} rows, ${Math.round(count / seconds).toLocaleString('en-US')} rows/s`);
  }
}

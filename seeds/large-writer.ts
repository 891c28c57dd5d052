import type { Knex } from 'knex';
import { escape as escapeForMysql } from 'mysql2';

/**
 * How the large seed writes millions of rows: on a connection of knex's pool taken for one
 * transaction and spoken to through its driver, since knex's own path (binding, formatting and
 * debug-escaping each statement's text) cost more than the database's work.
 * - MySQL: multi-row INSERT statements of up to 4,000 rows, the values written as literals by the
 *   driver's own escaper; a statement's ids follow from its first (consecutive, unless
 *   innodb_autoinc_lock_mode = 2: then read back).
 * - SQLite: prepared INSERT statements of 200 rows with bound values (in-process: no text to
 *   parse but once), the ids counted back from the statement's last.
 * Every value is the seed's own, none a person's input.
 */
export type Writer = {
  readonly db: Knex;
  readonly isMysql: boolean;
  readonly idsAreConsecutive: boolean;
  readonly tenantId: number;
  readonly progress: Progress;
};

/** Values of one row, in the order of the statement's columns. */
export type Row = unknown[];

/** Inserts rows into a table of the writer's tenant (tenant_id first) and answers their new ids, in order. */
export type Insert = (table: string, columns: readonly string[], rows: readonly Row[]) => Promise<number[]>;

/** Stays well under MySQL's default packet (16 MB) with the widest rows here. */
const rowsPerStatement = 4_000;
/** SQLite binds at most 32,766 values a statement; a few hundred rows amortise the statement's own cost (its triggers). */
const sqliteRowsPerStatement = 200;

type MysqlConnection = { config: { queryFormat?: unknown }; query(sql: string, callback: (error: Error | null, result: unknown) => void): void };
type SqliteConnection = {
  exec(sql: string): void;
  prepare(sql: string): { run(...values: unknown[]): { lastInsertRowid: number | bigint } };
};

export async function openWriter(db: Knex, tenantId: number, progress: Progress): Promise<Writer> {
  const isMysql = db.client.config.client === 'mysql2';
  if (!isMysql) return { db, isMysql, idsAreConsecutive: true, tenantId, progress };
  const [rows] = (await db.raw('select @@innodb_autoinc_lock_mode as mode')) as [Array<{ mode: number }>];
  return { db, isMysql, idsAreConsecutive: Number(rows[0]?.mode) !== 2, tenantId, progress };
}

/**
 * Runs work in one transaction on a connection of its own, taken from knex's pool and given back
 * after; rolled back when the work fails.
 */
export async function inTransaction<T>(writer: Writer, work: (insert: Insert) => Promise<T>): Promise<T> {
  const client = writer.db.client as { acquireConnection(): Promise<unknown>; releaseConnection(connection: unknown): Promise<void> };
  const connection = await client.acquireConnection();
  const run = writer.isMysql ? mysqlRunner(connection as MysqlConnection) : sqliteRunner(connection as SqliteConnection);
  // mysql2 scans every statement for placeholders, even one without values: a megabyte of text each
  // time. The seed's statements have none, so they go as written while the connection is the seed's.
  const mysqlConfig = writer.isMysql ? (connection as MysqlConnection).config : undefined;
  const ownFormat = mysqlConfig?.queryFormat;
  if (mysqlConfig) mysqlConfig.queryFormat = (sql: string) => sql;
  try {
    // As a dump is loaded: the seed's rows are consistent by construction (parents written first, unique
    // values made so), so MySQL need not look each foreign key and unique value up while they go in.
    // Set back before the connection returns to the pool.
    if (writer.isMysql) await run('set session foreign_key_checks = 0, unique_checks = 0');
    await run('begin');
    const result = await work((table, columns, rows) => insertInto(writer, connection, table, columns, rows));
    await run('commit');
    return result;
  } catch (error) {
    await run('rollback').catch(() => {});
    throw error;
  } finally {
    if (mysqlConfig) mysqlConfig.queryFormat = ownFormat;
    const isSetBack = !writer.isMysql || (await run('set session foreign_key_checks = 1, unique_checks = 1').then(() => true, () => false));
    // Never back to the pool as the seed's: a connection that could not be set back is closed (the pool drops it).
    if (!isSetBack) (connection as { destroy(): void }).destroy();
    await client.releaseConnection(connection);
  }
}

function mysqlRunner(connection: MysqlConnection): (sql: string) => Promise<unknown> {
  return (sql) => new Promise((resolve, reject) => connection.query(sql, (error, result) => (error ? reject(error) : resolve(result))));
}

function sqliteRunner(connection: SqliteConnection): (sql: string) => Promise<void> {
  return async (sql) => connection.exec(sql);
}

async function insertInto(writer: Writer, connection: unknown, table: string, columns: readonly string[], rows: readonly Row[]): Promise<number[]> {
  const head = `insert into \`${table}\` (\`tenant_id\`,${columns.map((column) => `\`${column}\``).join(',')}) values `;
  writer.progress.begin(table);
  if (!writer.isMysql) return insertIntoSqlite(writer, connection as SqliteConnection, table, head, columns.length, rows);
  const ids: number[] = [];
  for (let start = 0; start < rows.length; start += rowsPerStatement) {
    const chunk = rows.slice(start, start + rowsPerStatement);
    const values = chunk.map((row) => `(${writer.tenantId},${row.map(mysqlLiteral).join(',')})`);
    const answer = (await mysqlRunner(connection as MysqlConnection)(head + values.join(','))) as { insertId: number };
    ids.push(...(await idsFrom(writer, connection as MysqlConnection, table, Number(answer.insertId), chunk.length)));
    writer.progress.add(table, chunk.length);
  }
  return ids;
}

async function idsFrom(writer: Writer, connection: MysqlConnection, table: string, first: number, count: number): Promise<number[]> {
  if (writer.idsAreConsecutive) return Array.from({ length: count }, (_, index) => first + index);
  // Interleaved auto-increment: this statement's rows have ids from `first` on, in order, among other
  // tenants' rows; the seeded tenant's rows of this table come from here only.
  const found = (await mysqlRunner(connection)(`select id from \`${table}\` where tenant_id = ${writer.tenantId} and id >= ${first} order by id limit ${count}`)) as Array<{ id: number }>;
  return found.map((row) => Number(row.id));
}

/** Prepared statements of a connection, by their text: prepared once, run for every full chunk of rows. */
const preparedStatements = new WeakMap<SqliteConnection, Map<string, ReturnType<SqliteConnection['prepare']>>>();

function insertIntoSqlite(writer: Writer, connection: SqliteConnection, table: string, head: string, width: number, rows: readonly Row[]): number[] {
  const statements = preparedStatements.get(connection) ?? new Map();
  preparedStatements.set(connection, statements);
  const ids: number[] = [];
  for (let start = 0; start < rows.length; start += sqliteRowsPerStatement) {
    const chunk = rows.slice(start, start + sqliteRowsPerStatement);
    const sql = `${head}${new Array(chunk.length).fill(`(${new Array(width + 1).fill('?').join(',')})`).join(',')}`;
    const statement = statements.get(sql) ?? connection.prepare(sql);
    statements.set(sql, statement);
    const values: unknown[] = [];
    for (const row of chunk) values.push(writer.tenantId, ...row.map(sqliteValue));
    // One writer at a time, inside this transaction: the statement's rows have the ids up to the last one.
    const last = Number(statement.run(...values).lastInsertRowid);
    for (let index = chunk.length - 1; index >= 0; index -= 1) ids.push(last - index);
    writer.progress.add(table, chunk.length);
  }
  return ids;
}

function mysqlLiteral(value: unknown): string {
  return typeof value === 'number' ? String(value) : escapeForMysql(value as string | boolean | null);
}

/** better-sqlite3 binds numbers, text and null; booleans are stored as 1 and 0, as knex stores them. */
function sqliteValue(value: unknown): unknown {
  return typeof value === 'boolean' ? Number(value) : (value ?? null);
}

/**
 * Rows written per table, and a line every two seconds or so: the seconds since the run began, the
 * table, the tenant's rows so far, rows per second since the tenant's first statement of the table.
 */
export class Progress {
  /** Over every tenant of the run. */
  readonly counts = new Map<string, number>();
  readonly #tenantCounts = new Map<string, number>();
  readonly #started = new Map<string, number>();
  readonly #report: (line: string) => void;
  readonly #createdAt = Date.now();
  #lastLineAt = Date.now();

  constructor(report: (line: string) => void) {
    this.#report = report;
  }

  /** Before a table's statements: its rate counts from its tenant's first one. */
  begin(table: string): void {
    if (!this.#started.has(table)) this.#started.set(table, Date.now());
  }

  add(table: string, rows: number): void {
    this.counts.set(table, (this.counts.get(table) ?? 0) + rows);
    this.#tenantCounts.set(table, (this.#tenantCounts.get(table) ?? 0) + rows);
    if (Date.now() - this.#lastLineAt >= 2_000) this.#line(table);
  }

  /** The table's line now (at the end of a phase, so that every table is reported at least once). */
  finish(table: string): void {
    if (this.#tenantCounts.has(table)) this.#line(table);
  }

  /** A line of its own, after the seconds since the run began. */
  note(line: string): void {
    this.#report(`${this.#elapsed()} ${line}`);
  }

  #elapsed(): string {
    return `[${((Date.now() - this.#createdAt) / 1000).toFixed(1).padStart(5)} s]`;
  }

  /** The lines of the next tenant count from nothing. */
  nextTenant(): void {
    this.#tenantCounts.clear();
    this.#started.clear();
  }

  #line(table: string): void {
    this.#lastLineAt = Date.now();
    const count = this.#tenantCounts.get(table) ?? 0;
    const seconds = Math.max(0.001, (Date.now() - this.#started.get(table)!) / 1000);
    this.#report(`${this.#elapsed()}   ${table}: ${count.toLocaleString('en-US')} rows, ${Math.round(count / seconds).toLocaleString('en-US')} rows/s`);
  }
}

import type { Knex } from 'knex';
import { isStaff, type Scope } from '../db/scope.js';
import type { TicketQuery } from './visibility.js';

/**
 * Full-text search of tickets (T5): the words of a title, a description or a reply, each word
 * also as the beginning of a longer one ("druk" finds "drukarka"), all of them required; or a
 * ticket's number (2026/000123). MySQL and MariaDB search their FULLTEXT indexes, SQLite its
 * FTS5 tables (migration 20261201_2400). Internal notes are searched for staff only: a client's
 * search never reads them.
 */

/** The most searched words a search keeps: more only make the query longer, not the answer better. */
const maximumTerms = 8;

/**
 * InnoDB's own list of words it leaves out of its FULLTEXT indexes (information_schema.
 * INNODB_FT_DEFAULT_STOPWORD), with words shorter than its innodb_ft_min_token_size (3): a
 * required word the index does not hold would find nothing at all.
 */
const unindexedWords = new Set(['a', 'about', 'an', 'are', 'as', 'at', 'be', 'by', 'com', 'de', 'en', 'for', 'from', 'how', 'i', 'in', 'is', 'it', 'la', 'of', 'on', 'or', 'that', 'the', 'this', 'to', 'was', 'what', 'when', 'where', 'who', 'will', 'with', 'und', 'www']);

/**
 * The words of what someone typed, in lower case, without the search languages' operators (only
 * letters and digits remain, so nothing typed can change the query's meaning). Words an index
 * does not hold (short or too common) are left out when other words remain, so "on" in "printer
 * on fire" does not empty the list; on their own they still search as beginnings of words.
 */
export function searchTerms(text: string): string[] {
  const words = [...new Set(text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [])];
  const indexed = words.filter((word) => word.length >= 3 && !unindexedWords.has(word));
  return (indexed.length > 0 ? indexed : words).slice(0, maximumTerms);
}

/**
 * A ticket's number as people read it out (2026/000123, 2026/123), which finds that ticket alone
 * (the key `tenant, year, sequence`), or null for any other text.
 */
export function ticketNumberIn(text: string): { year: number; sequence: number } | null {
  const match = /^\s*(\d{4})\s*\/\s*(\d{1,9})\s*$/.exec(text);
  return match ? { year: Number(match[1]), sequence: Number(match[2]) } : null;
}

/** Whether the actor may search internal notes: staff and system work, as they may read them. */
function searchesNotes(scope: Scope): boolean {
  return scope.actor.kind === 'system' || (scope.actor.kind === 'user' && isStaff(scope.actor.role));
}

/**
 * Narrows a query of tickets made by `tickets` (visibleTickets, which decides what the actor sees)
 * to those whose title, description or a reply holds every word of the text. It only ever narrows:
 * the search adds a condition, never a row. Text without a word leaves the query as it is.
 */
export function whereTicketMatches(scope: Scope, tickets: TicketQuery, query: Knex.QueryBuilder, text: string): Knex.QueryBuilder {
  const number = ticketNumberIn(text);
  if (number) return query.where({ 'tickets.year': number.year, 'tickets.sequence': number.sequence });
  const terms = searchTerms(text);
  if (terms.length === 0) return query;
  return scope.isMysql ? whereMatchesInMysql(scope, tickets, query, terms) : whereMatchesInSqlite(scope, query, terms);
}

/**
 * Boolean mode: every word required (+), as a beginning of a word (*); the words carry no operators.
 * The ids of the matching tickets and messages are a derived table, so that MySQL and MariaDB run
 * each full-text lookup once and join by id, whatever the number of tickets (an OR beside the
 * list's conditions would test every visible ticket).
 */
function whereMatchesInMysql(scope: Scope, tickets: TicketQuery, query: Knex.QueryBuilder, terms: string[]): Knex.QueryBuilder {
  const expression = terms.map((term) => `+${term}*`).join(' ');
  const messages = scope.table('ticket_messages').whereRaw('match (ticket_messages.body) against (? in boolean mode)', [expression]).select('ticket_messages.ticket_id');
  if (!searchesNotes(scope)) messages.where('ticket_messages.is_internal', false);
  const matching = tickets().whereRaw('match (tickets.title, tickets.description) against (? in boolean mode)', [expression]).select('tickets.id as ticket_id').union(messages);
  return query.whereRaw('tickets.id in (select matches.ticket_id from ? as matches)', [matching]);
}

/** FTS5: each word a quoted string (a quote doubled) with * for a prefix; words side by side are all required. */
function whereMatchesInSqlite(scope: Scope, query: Knex.QueryBuilder, terms: string[]): Knex.QueryBuilder {
  const expression = terms.map((term) => `"${term.replaceAll('"', '""')}"*`).join(' ');
  const messages = scope.table('ticket_message_search').whereRaw('ticket_message_search match ?', [expression]).select('ticket_message_search.ticket_id');
  if (!searchesNotes(scope)) messages.where('ticket_message_search.is_internal', false);
  const matching = scope.table('ticket_search').whereRaw('ticket_search match ?', [expression]).select('ticket_search.rowid as ticket_id');
  return query.whereIn('tickets.id', matching.union(messages));
}

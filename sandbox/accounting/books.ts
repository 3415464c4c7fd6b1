import type { SecretSource } from '../shared/secrets';
import { IdempotentResponses } from './idempotency';

/** A record of an emulated partner's books, as its API answers it. */
export type Json = Record<string, unknown>;

/** Amounts arrive as decimal numbers; sums are kept in cents so no float ever rounds a total. */
export const cents = (value: unknown) => Math.round(Number(value) * 100);
export const amount = (minor: number) => minor / 100;

/** Lists of a company's (an organisation's) books, each of records by id. */
export type BookLists<Name extends string> = { [List in Name]: Map<string, Json> };

/** Empty lists of the names given, in that order: a new company's books before anything is booked. */
export function emptyLists<Name extends string>(names: readonly Name[]): BookLists<Name> {
  return Object.fromEntries(names.map((name) => [name, new Map<string, Json>()])) as BookLists<Name>;
}

/**
 * An emulated partner's books: one set per company (QuickBooks realm, Xero tenant) the sandbox
 * token is authorised for, and the answers remembered per idempotency key. `Documents` are the
 * lists the sandbox's stats count.
 */
export abstract class BooksEmulator<Books extends BookLists<Documents>, Documents extends string> {
  /** Each company's books, by its id. */
  readonly books = new Map<string, Books>();
  readonly idempotency = new IdempotentResponses();

  constructor(protected readonly secrets: SecretSource) {}

  /** Documents of a list across every company, for the sandbox's stats. */
  count(list: Documents): number {
    return [...this.books.values()].reduce((sum, books) => sum + books[list].size, 0);
  }
}

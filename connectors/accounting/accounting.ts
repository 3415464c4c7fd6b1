import type { z } from 'zod';
import type { CreditNoteDraft } from '../../domain/accounting/credit-note';
import type { InvoiceDraft } from '../../domain/accounting/invoice';
import { createHash } from 'node:crypto';
import { toMinorUnits } from '../../domain/shared/money';
import type { ConnectorConfig } from '../../platform/config/schema';
import type { PartnerHttpClient } from '../http/client';
import { connectorOptions } from '../options';

/**
 * The person a document (invoice, credit note) is booked to: found in the partner's books by
 * e-mail, else created.
 */
export type BookedCustomer = Pick<InvoiceDraft | CreditNoteDraft, 'customerName' | 'customerEmail'>;

/** How a customer is named in the books: unique per e-mail, so two people of one name stay apart. */
export function customerDisplayName(who: BookedCustomer): string {
  const name = who.customerName.trim() || 'Customer';
  const email = who.customerEmail?.trim().toLowerCase();
  return (email ? `${name} <${email}>` : name).slice(0, 100);
}

/** How one partner's books are searched and written for a customer. */
export interface CustomerBook {
  /** The customer's id by e-mail, or by display name (`email` undefined); undefined if none. */
  find(by: { email: string } | { displayName: string }): Promise<string | undefined>;
  /** Creates the customer; `digest` (of who it is) keys it, so a retried or racing create returns the first. */
  create(displayName: string, email: string | undefined, digest: string): Promise<string>;
  /** Whether a create failed because the display name is taken. */
  isNameTaken(error: unknown): boolean;
}

/**
 * The partner's customer for this person: looked up by e-mail (or display name without one),
 * else created with a key derived from who it is, so racing or retried attempts make one. A
 * create refused because the name was taken meanwhile (another attempt, or a person already in
 * the books) finds that one.
 */
export async function findOrCreateCustomer(book: CustomerBook, who: BookedCustomer): Promise<string> {
  const email = who.customerEmail?.trim().toLowerCase();
  const displayName = customerDisplayName(who);
  const existing = await book.find(email ? { email } : { displayName });
  if (existing) return existing;
  const digest = createHash('sha256')
    .update(email ?? displayName)
    .digest('hex')
    .slice(0, 32);
  try {
    return await book.create(displayName, email, digest);
  } catch (error) {
    const byName = book.isNameTaken(error) ? await book.find({ displayName }) : undefined;
    if (byName) return byName;
    throw error;
  }
}

/**
 * What every accounting connector offers. Each call carries an idempotency key derived from the
 * order, in the partner's own mechanism, so a retried call returns the document already made.
 */
export interface AccountingConnector {
  readonly connectorId: string;
  postInvoice(invoice: InvoiceDraft, idempotencyKey: string): Promise<{ id: string }>;
  /** A payment against an invoice: the whole total, or `amount` when it is paid in parts. */
  postPayment(
    invoice: InvoiceDraft,
    invoiceId: string,
    idempotencyKey: string,
    amount?: string,
  ): Promise<{ id: string }>;
  /** The credit for a refunded return (QuickBooks credit memo, Xero credit note). */
  postCreditNote(note: CreditNoteDraft, idempotencyKey: string): Promise<{ id: string }>;
}

/**
 * A connection to a partner's books: its options, read with the partner's schema, name what the
 * client reaches (a QuickBooks company, a Xero organisation), so the client is made from them.
 * Every document is booked to a customer of those books.
 */
export abstract class PartnerBooksConnector<Options extends z.ZodType> implements AccountingConnector {
  readonly connectorId: string;
  protected readonly options: z.infer<Options>;
  protected readonly client: PartnerHttpClient;
  /** The partner's customers (QuickBooks customers, Xero contacts). */
  protected abstract readonly customers: CustomerBook;

  constructor(
    config: ConnectorConfig,
    optionsSchema: Options,
    connect: (options: z.infer<Options>) => PartnerHttpClient,
  ) {
    this.connectorId = config.id;
    this.options = connectorOptions(config, optionsSchema);
    this.client = connect(this.options);
  }

  /** The partner's id of the customer a document is booked to, found or created. */
  protected customerOf(who: BookedCustomer): Promise<string> {
    return findOrCreateCustomer(this.customers, who);
  }

  /** Invoices and credit notes are each partner's own documents. */
  abstract postInvoice(invoice: InvoiceDraft, idempotencyKey: string): Promise<{ id: string }>;
  abstract postCreditNote(note: CreditNoteDraft, idempotencyKey: string): Promise<{ id: string }>;

  /** A payment against an invoice: the whole total, or `amount` when it is paid in parts. */
  async postPayment(
    invoice: InvoiceDraft,
    invoiceId: string,
    idempotencyKey: string,
    amount?: string,
  ): Promise<{ id: string }> {
    const payment = { invoice, invoiceId, amount: Number(amount ?? invoice.total) };
    return { id: await this.createPayment(payment, idempotencyKey) };
  }

  /** Creates the payment in the partner's books, once per idempotency key; its id there. */
  protected abstract createPayment(payment: InvoicePayment, idempotencyKey: string): Promise<string>;
}

/** A payment against an invoice the partner booked (`invoiceId`), its amount settled. */
export interface InvoicePayment {
  invoice: InvoiceDraft;
  invoiceId: string;
  amount: number;
}

/**
 * Which account and tax code a line books to: the goods account when it has a SKU, else the
 * services one; the taxed code when it bears tax, else the exempt one. Each second code is
 * optional and falls back to the first.
 */
export function lineCodes(
  line: { sku?: string; taxAmount: string },
  [goods, services]: [string, string | undefined],
  [taxed, exempt]: [string, string | undefined],
) {
  return {
    account: line.sku ? goods : (services ?? goods),
    tax: toMinorUnits(line.taxAmount) > 0 ? taxed : (exempt ?? taxed),
  };
}

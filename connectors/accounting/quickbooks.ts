import { z } from 'zod';
import type { CreditNoteDraft } from '../../domain/accounting/credit-note';
import type { InvoiceDraft } from '../../domain/accounting/invoice';
import { fromMinorUnits, toMinorUnits } from '../../domain/shared/money';
import type { ConnectorConfig } from '../../platform/config/schema';
import { bearerAuthorization, connectorHttpClient } from '../http/connector-client';
import { partnerRefusal } from '../http/errors';
import { lineCodes, PartnerBooksConnector, type CustomerBook, type InvoicePayment } from './accounting';

/**
 * What the company's books use, by its own ids: nothing is assumed. A missing one stops start-up
 * with the field named (`connectors[3].options.itemRef`).
 */
const optionsSchema = z
  .object({
    realmId: z.string().min(1),
    /** Service or inventory item that product lines (those with a SKU) are booked to. */
    itemRef: z.string().min(1),
    /** Item for lines without a SKU: shipping, room nights, fees. */
    serviceItemRef: z.string().min(1),
    /** Tax code of a line that carries tax (US companies: `TAX`). */
    taxCodeRef: z.string().min(1),
    /** Tax code of a line without tax (US companies: `NON`); the taxed code if not given. */
    exemptTaxCodeRef: z.string().min(1).optional(),
    minorVersion: z.number().int().default(75),
  })
  .strict();

interface QboEntity {
  Id: string;
  SyncToken?: string;
  CustomerRef?: { value: string };
}

/** A QuickBooks query's string literal: single quotes escaped. */
const quoted = (value: string) => `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

/**
 * QuickBooks Online Accounting API v3. Idempotency is QuickBooks' own: a repeated `requestid`
 * returns the response of the first request instead of creating a second document. Every
 * document is booked to a customer found by e-mail (or name) in the company, or created once.
 */
export class QuickBooksConnector extends PartnerBooksConnector<typeof optionsSchema> {
  constructor(config: ConnectorConfig) {
    super(config, optionsSchema, (options) =>
      connectorHttpClient(config, 'quickbooks', {
        baseUrl: `${config.baseUrl.replace(/\/$/, '')}/v3/company/${options.realmId}`,
        headers: { ...bearerAuthorization(config, 'accessToken'), Accept: 'application/json' },
      }),
    );
  }

  /** The company's customers, searched by e-mail or display name; created with a `requestid`. */
  protected readonly customers: CustomerBook = {
    find: async (by) => {
      const [field, value] = 'email' in by ? ['PrimaryEmailAddr', by.email] : ['DisplayName', by.displayName];
      const answer = await this.client.get<{ QueryResponse: { Customer?: QboEntity[] } }>('query', {
        params: {
          query: `select * from Customer where ${field} = ${quoted(value)}`,
          minorversion: this.options.minorVersion,
        },
      });
      return answer.QueryResponse.Customer?.[0]?.Id;
    },
    create: (displayName, email, digest) =>
      this.create(
        'customer',
        { DisplayName: displayName, ...(email ? { PrimaryEmailAddr: { Address: email } } : {}) },
        `customer-${digest}`,
      ),
    isNameTaken: isDuplicateName,
  };

  private line(line: { sku?: string; taxAmount: string }) {
    const o = this.options;
    const codes = lineCodes(line, [o.itemRef, o.serviceItemRef], [o.taxCodeRef, o.exemptTaxCodeRef]);
    return { ItemRef: { value: codes.account }, TaxCodeRef: { value: codes.tax } };
  }

  /**
   * An invoice or credit memo of the customer: its number as far as QuickBooks takes one (21
   * characters), amounts exclusive of tax, the tax total as the hub computed it.
   */
  private salesDocument(
    customer: string,
    draft: InvoiceDraft | CreditNoteDraft,
    privateNote: string,
    lines: object[],
  ) {
    return {
      DocNumber: draft.number.slice(0, 21),
      TxnDate: draft.issuedOn,
      PrivateNote: privateNote,
      CustomerRef: { value: customer },
      CurrencyRef: { value: draft.currency },
      BillEmail: draft.customerEmail ? { Address: draft.customerEmail } : undefined,
      GlobalTaxCalculation: 'TaxExcluded',
      TxnTaxDetail: { TotalTax: Number(draft.taxTotal) },
      Line: lines,
    };
  }

  /**
   * The customer each invoice this process posted was booked to, so that paying it right after
   * (an order is invoiced and paid in one step) needs no read of the invoice: a call fewer of the
   * company's 500 a minute. Bounded; a payment whose invoice is not here (posted by another
   * process, or long ago) reads the invoice, as before.
   */
  private readonly bookedTo = new Map<string, string>();

  async postInvoice(invoice: InvoiceDraft, idempotencyKey: string): Promise<{ id: string }> {
    const customer = await this.customerOf(invoice);
    const lines = invoice.lines.map((line) => ({
      DetailType: 'SalesItemLineDetail',
      Description: line.description,
      Amount: Number(fromMinorUnits(toMinorUnits(line.unitAmount) * line.quantity)),
      SalesItemLineDetail: { ...this.line(line), Qty: line.quantity, UnitPrice: Number(line.unitAmount) },
    }));
    const document = this.salesDocument(customer, invoice, invoice.reference, lines);
    const id = await this.create('invoice', document, idempotencyKey);
    if (this.bookedTo.size >= BOOKED_TO_KEPT) this.bookedTo.delete(this.bookedTo.keys().next().value!);
    this.bookedTo.set(id, customer);
    return { id };
  }

  /** A payment against the invoice, booked to the invoice's own customer. */
  protected async createPayment({ invoice, invoiceId, amount }: InvoicePayment, requestId: string) {
    const customer = this.bookedTo.get(invoiceId);
    const customerRef = customer
      ? { value: customer }
      : (
          await this.client.get<{ Invoice: QboEntity }>(`invoice/${encodeURIComponent(invoiceId)}`, {
            params: { minorversion: this.options.minorVersion },
          })
        ).Invoice.CustomerRef;
    const payment = {
      TotalAmt: amount,
      TxnDate: invoice.issuedOn,
      PrivateNote: invoice.reference,
      CustomerRef: customerRef,
      CurrencyRef: { value: invoice.currency },
      Line: [{ Amount: amount, LinkedTxn: [{ TxnId: invoiceId, TxnType: 'Invoice' }] }],
    };
    return this.create('payment', payment, requestId);
  }

  /** Returned lines as sales lines; the restocking fee and exchange credit as discount lines. */
  async postCreditNote(note: CreditNoteDraft, idempotencyKey: string): Promise<{ id: string }> {
    const customer = await this.customerOf(note);
    const lines = [
      ...note.lines.map((line) => ({
        DetailType: 'SalesItemLineDetail',
        Description: line.description,
        Amount: Number(line.amount),
        SalesItemLineDetail: { ...this.line(line), Qty: line.quantity },
      })),
      ...note.deductions.map((deduction) => ({
        DetailType: 'DiscountLineDetail',
        Description: deduction.description,
        Amount: Number(deduction.amount),
        DiscountLineDetail: { PercentBased: false },
      })),
    ];
    const document = this.salesDocument(customer, note, `${note.reference} (order ${note.orderId})`, lines);
    return { id: await this.create('creditmemo', document, idempotencyKey) };
  }

  /**
   * Creates an entity with a `requestid`, so a repeated request answers the first creation
   * instead of making a second. The created entity's Id.
   */
  private async create(entity: keyof typeof ENTITY_NAMES, body: object, requestId: string): Promise<string> {
    const created = await this.client.post<Record<string, QboEntity>>(entity, body, {
      params: { requestid: requestId, minorversion: this.options.minorVersion },
    });
    return created[ENTITY_NAMES[entity]]!.Id;
  }
}

/** How many invoices' customers a connector keeps for their payments (the oldest goes first). */
const BOOKED_TO_KEPT = 1_000;

/** The name QuickBooks answers each entity it creates under. */
const ENTITY_NAMES = {
  customer: 'Customer',
  invoice: 'Invoice',
  payment: 'Payment',
  creditmemo: 'CreditMemo',
} as const;

/** QuickBooks' 6240 "Duplicate Name Exists Error". */
function isDuplicateName(error: unknown): boolean {
  const body = partnerRefusal(error)?.body as { Fault?: { Error?: Array<{ code?: string }> } } | undefined;
  return Boolean(body?.Fault?.Error?.some((e) => e.code === '6240'));
}

import { ApplicationFailure } from '@temporalio/common';
import { z } from 'zod';
import type { CreditNoteDraft } from '../../domain/accounting/credit-note';
import type { InvoiceDraft } from '../../domain/accounting/invoice';
import { fromMinorUnits, toMinorUnits } from '../../domain/shared/money';
import type { ConnectorConfig } from '../../platform/config/schema';
import { PARTNER_REJECTED } from '../http/errors';
import { PartnerHttpClient } from '../http/client';
import { connectorOptions, credential } from '../options';
import {
  findOrCreateCustomer,
  lineCodes,
  type AccountingConnector,
  type BookedCustomer,
  type CustomerBook,
} from './accounting';

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
export class QuickBooksConnector implements AccountingConnector {
  readonly connectorId: string;
  private readonly client: PartnerHttpClient;
  private readonly options: z.infer<typeof optionsSchema>;

  constructor(config: ConnectorConfig) {
    this.connectorId = config.id;
    this.options = connectorOptions(config, optionsSchema);
    this.client = new PartnerHttpClient({
      partner: `quickbooks ${config.id}`,
      baseUrl: `${config.baseUrl.replace(/\/$/, '')}/v3/company/${this.options.realmId}`,
      timeoutMs: config.timeouts.requestMs,
      headers: { Authorization: `Bearer ${credential(config, 'accessToken')}`, Accept: 'application/json' },
    });
  }

  private params(requestId: string) {
    return { params: { requestid: requestId, minorversion: this.options.minorVersion } };
  }

  /** The company's customers, searched by e-mail or display name; created with a `requestid`. */
  private readonly customers: CustomerBook = {
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
    create: async (displayName, email, digest) => {
      const created = await this.client.post<{ Customer: QboEntity }>(
        'customer',
        { DisplayName: displayName, ...(email ? { PrimaryEmailAddr: { Address: email } } : {}) },
        this.params(`customer-${digest}`),
      );
      return created.Customer.Id;
    },
    isNameTaken: isDuplicateName,
  };

  customerFor(who: BookedCustomer): Promise<string> {
    return findOrCreateCustomer(this.customers, who);
  }

  private line(line: { sku?: string; taxAmount: string }) {
    const o = this.options;
    const codes = lineCodes(line, [o.itemRef, o.serviceItemRef], [o.taxCodeRef, o.exemptTaxCodeRef]);
    return { ItemRef: { value: codes.account }, TaxCodeRef: { value: codes.tax } };
  }

  async postInvoice(invoice: InvoiceDraft, idempotencyKey: string): Promise<{ id: string }> {
    const customer = await this.customerFor({ name: invoice.customerName, email: invoice.customerEmail });
    const body = {
      DocNumber: invoice.number.slice(0, 21),
      TxnDate: invoice.issuedOn,
      PrivateNote: invoice.reference,
      CustomerRef: { value: customer },
      CurrencyRef: { value: invoice.currency },
      BillEmail: invoice.customerEmail ? { Address: invoice.customerEmail } : undefined,
      GlobalTaxCalculation: 'TaxExcluded',
      TxnTaxDetail: { TotalTax: Number(invoice.taxTotal) },
      Line: invoice.lines.map((line) => ({
        DetailType: 'SalesItemLineDetail',
        Description: line.description,
        Amount: Number(fromMinorUnits(toMinorUnits(line.unitAmount) * line.quantity)),
        SalesItemLineDetail: { ...this.line(line), Qty: line.quantity, UnitPrice: Number(line.unitAmount) },
      })),
    };
    const response = await this.client.post<{ Invoice: QboEntity }>(
      'invoice',
      body,
      this.params(idempotencyKey),
    );
    return { id: response.Invoice.Id };
  }

  /** A payment against the invoice, booked to the invoice's own customer. */
  async postPayment(
    invoice: InvoiceDraft,
    invoiceId: string,
    idempotencyKey: string,
    amount?: string,
  ): Promise<{ id: string }> {
    const booked = await this.client.get<{ Invoice: QboEntity }>(`invoice/${encodeURIComponent(invoiceId)}`, {
      params: { minorversion: this.options.minorVersion },
    });
    const body = {
      TotalAmt: Number(amount ?? invoice.total),
      TxnDate: invoice.issuedOn,
      PrivateNote: invoice.reference,
      CustomerRef: booked.Invoice.CustomerRef,
      CurrencyRef: { value: invoice.currency },
      Line: [
        { Amount: Number(amount ?? invoice.total), LinkedTxn: [{ TxnId: invoiceId, TxnType: 'Invoice' }] },
      ],
    };
    const response = await this.client.post<{ Payment: QboEntity }>(
      'payment',
      body,
      this.params(idempotencyKey),
    );
    return { id: response.Payment.Id };
  }

  /** Returned lines as sales lines; the restocking fee and exchange credit as discount lines. */
  async postCreditNote(note: CreditNoteDraft, idempotencyKey: string): Promise<{ id: string }> {
    const customer = await this.customerFor({ name: note.customerName, email: note.customerEmail });
    const body = {
      DocNumber: note.number.slice(0, 21),
      TxnDate: note.issuedOn,
      PrivateNote: `${note.reference} (order ${note.orderId})`,
      CustomerRef: { value: customer },
      CurrencyRef: { value: note.currency },
      BillEmail: note.customerEmail ? { Address: note.customerEmail } : undefined,
      GlobalTaxCalculation: 'TaxExcluded',
      TxnTaxDetail: { TotalTax: Number(note.taxTotal) },
      Line: [
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
      ],
    };
    const response = await this.client.post<{ CreditMemo: QboEntity }>(
      'creditmemo',
      body,
      this.params(idempotencyKey),
    );
    return { id: response.CreditMemo.Id };
  }
}

/** QuickBooks' 6240 "Duplicate Name Exists Error". */
function isDuplicateName(error: unknown): boolean {
  if (!(error instanceof ApplicationFailure) || error.type !== PARTNER_REJECTED) return false;
  const body = (error.details?.[0] as { body?: { Fault?: { Error?: Array<{ code?: string }> } } } | undefined)
    ?.body;
  return Boolean(body?.Fault?.Error?.some((e) => e.code === '6240'));
}

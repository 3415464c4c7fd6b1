import { z } from 'zod';
import type { CreditNoteDraft } from '../../domain/accounting/credit-note';
import type { InvoiceDraft } from '../../domain/accounting/invoice';
import { fromMinorUnits, toMinorUnits } from '../../domain/shared/money';
import type { ConnectorConfig } from '../../platform/config/schema';
import { PartnerHttpClient } from '../http/client';
import { connectorOptions, credential } from '../options';
import type { AccountingConnector } from './accounting';

const optionsSchema = z
  .object({
    realmId: z.string().min(1),
    /** Customer every channel order is booked against (a "web store" customer). */
    customerRef: z.string().min(1).default('1'),
    /** Service item that order lines are booked to. */
    itemRef: z.string().min(1).default('1'),
    minorVersion: z.number().int().default(75),
  })
  .strict();

interface QboEntity {
  Id: string;
  SyncToken?: string;
}

/**
 * QuickBooks Online Accounting API v3. Idempotency is QuickBooks' own: a repeated `requestid`
 * returns the response of the first request instead of creating a second document.
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

  async postInvoice(invoice: InvoiceDraft, idempotencyKey: string): Promise<{ id: string }> {
    const body = {
      DocNumber: invoice.number.slice(0, 21),
      TxnDate: invoice.issuedOn,
      PrivateNote: invoice.reference,
      CustomerRef: { value: this.options.customerRef },
      CurrencyRef: { value: invoice.currency },
      BillEmail: invoice.customerEmail ? { Address: invoice.customerEmail } : undefined,
      GlobalTaxCalculation: 'TaxExcluded',
      TxnTaxDetail: { TotalTax: Number(invoice.taxTotal) },
      Line: invoice.lines.map((line) => ({
        DetailType: 'SalesItemLineDetail',
        Description: line.description,
        Amount: Number(fromMinorUnits(toMinorUnits(line.unitAmount) * line.quantity)),
        SalesItemLineDetail: {
          ItemRef: { value: this.options.itemRef },
          Qty: line.quantity,
          UnitPrice: Number(line.unitAmount),
        },
      })),
    };
    const response = await this.client.post<{ Invoice: QboEntity }>(
      'invoice',
      body,
      this.params(idempotencyKey),
    );
    return { id: response.Invoice.Id };
  }

  async postPayment(
    invoice: InvoiceDraft,
    invoiceId: string,
    idempotencyKey: string,
    amount?: string,
  ): Promise<{ id: string }> {
    const body = {
      TotalAmt: Number(amount ?? invoice.total),
      TxnDate: invoice.issuedOn,
      PrivateNote: invoice.reference,
      CustomerRef: { value: this.options.customerRef },
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
    const body = {
      DocNumber: note.number.slice(0, 21),
      TxnDate: note.issuedOn,
      PrivateNote: `${note.reference} (order ${note.orderId})`,
      CustomerRef: { value: this.options.customerRef },
      CurrencyRef: { value: note.currency },
      BillEmail: note.customerEmail ? { Address: note.customerEmail } : undefined,
      GlobalTaxCalculation: 'TaxExcluded',
      TxnTaxDetail: { TotalTax: Number(note.taxTotal) },
      Line: [
        ...note.lines.map((line) => ({
          DetailType: 'SalesItemLineDetail',
          Description: line.description,
          Amount: Number(line.amount),
          SalesItemLineDetail: { ItemRef: { value: this.options.itemRef }, Qty: line.quantity },
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

import { z } from 'zod';
import type { CreditNoteDraft } from '../../domain/accounting/credit-note';
import type { InvoiceDraft } from '../../domain/accounting/invoice';
import type { ConnectorConfig } from '../../platform/config/schema';
import { PartnerHttpClient } from '../http/client';
import { connectorOptions, credential } from '../options';
import type { AccountingConnector } from './accounting';

const optionsSchema = z
  .object({
    /** The organisation (Xero "tenant") the connection is authorised for. */
    xeroTenantId: z.string().min(1),
    salesAccountCode: z.string().min(1).default('200'),
    paymentAccountCode: z.string().min(1).default('090'),
  })
  .strict();

/**
 * Xero Accounting API 2.0. Every write carries an `Idempotency-Key`; Xero answers a repeated key
 * with the original response instead of creating a second document.
 */
export class XeroConnector implements AccountingConnector {
  readonly connectorId: string;
  private readonly client: PartnerHttpClient;
  private readonly options: z.infer<typeof optionsSchema>;

  constructor(config: ConnectorConfig) {
    this.connectorId = config.id;
    this.options = connectorOptions(config, optionsSchema);
    this.client = new PartnerHttpClient({
      partner: `xero ${config.id}`,
      baseUrl: config.baseUrl,
      timeoutMs: config.timeouts.requestMs,
      headers: {
        Authorization: `Bearer ${credential(config, 'accessToken')}`,
        'xero-tenant-id': this.options.xeroTenantId,
        Accept: 'application/json',
      },
    });
  }

  async postInvoice(invoice: InvoiceDraft, idempotencyKey: string): Promise<{ id: string }> {
    const body = {
      Invoices: [
        {
          Type: 'ACCREC',
          Contact: {
            Name: invoice.customerName,
            ...(invoice.customerEmail ? { EmailAddress: invoice.customerEmail } : {}),
          },
          Date: invoice.issuedOn,
          DueDate: invoice.issuedOn,
          Reference: invoice.number,
          CurrencyCode: invoice.currency,
          Status: 'AUTHORISED',
          LineAmountTypes: 'Exclusive',
          LineItems: invoice.lines.map((line) => ({
            Description: line.description,
            Quantity: line.quantity,
            UnitAmount: Number(line.unitAmount),
            TaxAmount: Number(line.taxAmount),
            AccountCode: this.options.salesAccountCode,
          })),
        },
      ],
    };
    const response = await this.put<{ Invoices: Array<{ InvoiceID: string }> }>(
      'Invoices',
      body,
      idempotencyKey,
    );
    return { id: response.Invoices[0]!.InvoiceID };
  }

  async postPayment(
    invoice: InvoiceDraft,
    invoiceId: string,
    idempotencyKey: string,
    amount?: string,
  ): Promise<{ id: string }> {
    const body = {
      Payments: [
        {
          Invoice: { InvoiceID: invoiceId },
          Account: { Code: this.options.paymentAccountCode },
          Date: invoice.issuedOn,
          Amount: Number(amount ?? invoice.total),
          Reference: invoice.number,
        },
      ],
    };
    const response = await this.put<{ Payments: Array<{ PaymentID: string }> }>(
      'Payments',
      body,
      idempotencyKey,
    );
    return { id: response.Payments[0]!.PaymentID };
  }

  /** An ACCREC credit note; amounts kept back are lines with a negative amount, as Xero allows. */
  async postCreditNote(note: CreditNoteDraft, idempotencyKey: string): Promise<{ id: string }> {
    const body = {
      CreditNotes: [
        {
          Type: 'ACCRECCREDIT',
          Contact: {
            Name: note.customerName,
            ...(note.customerEmail ? { EmailAddress: note.customerEmail } : {}),
          },
          Date: note.issuedOn,
          Reference: `${note.number} (order ${note.orderId})`,
          CurrencyCode: note.currency,
          Status: 'AUTHORISED',
          LineAmountTypes: 'Exclusive',
          LineItems: [
            ...note.lines.map((line) => ({
              Description: line.description,
              Quantity: 1,
              UnitAmount: Number(line.amount),
              TaxAmount: Number(line.taxAmount),
              AccountCode: this.options.salesAccountCode,
            })),
            ...note.deductions.map((deduction) => ({
              Description: deduction.description,
              Quantity: 1,
              UnitAmount: -Number(deduction.amount),
              TaxAmount: 0,
              AccountCode: this.options.salesAccountCode,
            })),
          ],
        },
      ],
    };
    const response = await this.put<{ CreditNotes: Array<{ CreditNoteID: string }> }>(
      'CreditNotes',
      body,
      idempotencyKey,
    );
    return { id: response.CreditNotes[0]!.CreditNoteID };
  }

  /** Xero creates with PUT; the key makes a repeated call return the first answer. */
  private put<T>(collection: string, body: unknown, idempotencyKey: string): Promise<T> {
    return this.client.request<T>({
      method: 'PUT',
      url: collection,
      data: body,
      headers: { 'Idempotency-Key': idempotencyKey },
    });
  }
}

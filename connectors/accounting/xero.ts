import { ApplicationFailure } from '@temporalio/common';
import { z } from 'zod';
import type { CreditNoteDraft } from '../../domain/accounting/credit-note';
import type { InvoiceDraft } from '../../domain/accounting/invoice';
import type { ConnectorConfig } from '../../platform/config/schema';
import { PartnerHttpClient } from '../http/client';
import { PARTNER_REJECTED } from '../http/errors';
import { connectorOptions, credential } from '../options';
import {
  findOrCreateCustomer,
  lineCodes,
  type AccountingConnector,
  type BookedCustomer,
  type CustomerBook,
} from './accounting';

/**
 * The organisation's own codes: nothing is assumed. A missing one stops start-up with the field
 * named (`connectors[4].options.salesAccountCode`).
 */
const optionsSchema = z
  .object({
    /** The organisation (Xero "tenant") the connection is authorised for. */
    xeroTenantId: z.string().min(1),
    /** Revenue account of product lines (those with a SKU). */
    salesAccountCode: z.string().min(1),
    /** Revenue account of lines without a SKU (shipping, room nights, fees); the sales account if not given. */
    serviceAccountCode: z.string().min(1).optional(),
    /** Tax type of a line that carries tax (`OUTPUT` in many regions). */
    taxType: z.string().min(1),
    /** Tax type of a line without tax (`NONE`); the taxed one if not given. */
    exemptTaxType: z.string().min(1).optional(),
    /** Bank account payments are received into. */
    paymentAccountCode: z.string().min(1),
  })
  .strict();

/** A Xero `where` string literal. */
const quoted = (value: string) => `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;

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

  /** The organisation's contacts, searched by e-mail or name; created with an idempotency key. */
  private readonly contacts: CustomerBook = {
    find: async (by) => {
      const where = 'email' in by ? `EmailAddress==${quoted(by.email)}` : `Name==${quoted(by.displayName)}`;
      const answer = await this.client.get<{ Contacts: Array<{ ContactID: string }> }>('Contacts', {
        params: { where },
      });
      return answer.Contacts[0]?.ContactID;
    },
    create: async (name, email, digest) => {
      const created = await this.put<{ Contacts: Array<{ ContactID: string }> }>(
        'Contacts',
        { Contacts: [{ Name: name, ...(email ? { EmailAddress: email } : {}) }] },
        `contact-${digest}`,
      );
      return created.Contacts[0]!.ContactID;
    },
    isNameTaken,
  };

  contactFor(who: BookedCustomer): Promise<string> {
    return findOrCreateCustomer(this.contacts, who);
  }

  private line(line: { sku?: string; taxAmount: string }) {
    const o = this.options;
    const codes = lineCodes(line, [o.salesAccountCode, o.serviceAccountCode], [o.taxType, o.exemptTaxType]);
    return { AccountCode: codes.account, TaxType: codes.tax };
  }

  async postInvoice(invoice: InvoiceDraft, idempotencyKey: string): Promise<{ id: string }> {
    const contact = await this.contactFor({ name: invoice.customerName, email: invoice.customerEmail });
    const body = {
      Invoices: [
        {
          Type: 'ACCREC',
          Contact: { ContactID: contact },
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
            ...this.line(line),
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
    const contact = await this.contactFor({ name: note.customerName, email: note.customerEmail });
    const body = {
      CreditNotes: [
        {
          Type: 'ACCRECCREDIT',
          Contact: { ContactID: contact },
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
              ...this.line(line),
            })),
            ...note.deductions.map((deduction) => ({
              Description: deduction.description,
              Quantity: 1,
              UnitAmount: -Number(deduction.amount),
              TaxAmount: 0,
              ...this.line({ taxAmount: '0' }),
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

/** Xero's refusal of a contact whose name another active contact has. */
function isNameTaken(error: unknown): boolean {
  if (!(error instanceof ApplicationFailure) || error.type !== PARTNER_REJECTED) return false;
  return JSON.stringify(error.details?.[0] ?? '').includes('is already assigned to another contact');
}

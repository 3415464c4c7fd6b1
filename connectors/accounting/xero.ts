import { z } from 'zod';
import type { CreditNoteDraft } from '../../domain/accounting/credit-note';
import type { InvoiceDraft } from '../../domain/accounting/invoice';
import type { ConnectorConfig } from '../../platform/config/schema';
import { bearerAuthorization, connectorHttpClient } from '../http/connector-client';
import { partnerRefusal } from '../http/errors';
import { lineCodes, PartnerBooksConnector, type CustomerBook, type InvoicePayment } from './accounting';

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

/** A line item as the hub books one: its own account and tax type, amounts exclusive of tax. */
interface XeroLineItem {
  Description: string;
  Quantity: number;
  UnitAmount: number;
  TaxAmount: number;
  AccountCode: string;
  TaxType: string;
}

/**
 * Xero Accounting API 2.0. Every write carries an `Idempotency-Key`; Xero answers a repeated key
 * with the original response instead of creating a second document.
 */
export class XeroConnector extends PartnerBooksConnector<typeof optionsSchema> {
  constructor(config: ConnectorConfig) {
    super(config, optionsSchema, (options) =>
      connectorHttpClient(config, 'xero', {
        headers: {
          ...bearerAuthorization(config, 'accessToken'),
          'xero-tenant-id': options.xeroTenantId,
          Accept: 'application/json',
        },
      }),
    );
  }

  /** The organisation's contacts, searched by e-mail or name; created with an idempotency key. */
  protected readonly customers: CustomerBook = {
    find: async (by) => {
      const where = 'email' in by ? `EmailAddress==${quoted(by.email)}` : `Name==${quoted(by.displayName)}`;
      const answer = await this.client.get<{ Contacts: Array<{ ContactID: string }> }>('Contacts', {
        params: { where },
      });
      return answer.Contacts[0]?.ContactID;
    },
    create: (name, email, digest) =>
      this.create('Contacts', { Name: name, ...(email ? { EmailAddress: email } : {}) }, `contact-${digest}`),
    isNameTaken,
  };

  /** A line item on the account and tax type its line books to. */
  private lineItem(
    description: string,
    quantity: number,
    unitAmount: number,
    taxAmount: number,
    bookedAs: { sku?: string; taxAmount: string },
  ): XeroLineItem {
    const o = this.options;
    const codes = lineCodes(
      bookedAs,
      [o.salesAccountCode, o.serviceAccountCode],
      [o.taxType, o.exemptTaxType],
    );
    return {
      Description: description,
      Quantity: quantity,
      UnitAmount: unitAmount,
      TaxAmount: taxAmount,
      AccountCode: codes.account,
      TaxType: codes.tax,
    };
  }

  /** An authorised sales document of the contact, its line amounts exclusive of tax. */
  private salesDocument(
    type: 'ACCREC' | 'ACCRECCREDIT',
    contact: string,
    draft: InvoiceDraft | CreditNoteDraft,
    references: { DueDate?: string; Reference: string },
    lineItems: XeroLineItem[],
  ) {
    return {
      Type: type,
      Contact: { ContactID: contact },
      Date: draft.issuedOn,
      ...references,
      CurrencyCode: draft.currency,
      Status: 'AUTHORISED',
      LineAmountTypes: 'Exclusive',
      LineItems: lineItems,
    };
  }

  async postInvoice(invoice: InvoiceDraft, idempotencyKey: string): Promise<{ id: string }> {
    const contact = await this.customerOf(invoice);
    const lineItems = invoice.lines.map((line) =>
      this.lineItem(line.description, line.quantity, Number(line.unitAmount), Number(line.taxAmount), line),
    );
    const references = { DueDate: invoice.issuedOn, Reference: invoice.number };
    const document = this.salesDocument('ACCREC', contact, invoice, references, lineItems);
    return { id: await this.create('Invoices', document, idempotencyKey) };
  }

  /** A payment into the organisation's payment account against the invoice. */
  protected createPayment({ invoice, invoiceId, amount }: InvoicePayment, idempotencyKey: string) {
    const payment = {
      Invoice: { InvoiceID: invoiceId },
      Account: { Code: this.options.paymentAccountCode },
      Date: invoice.issuedOn,
      Amount: amount,
      Reference: invoice.number,
    };
    return this.create('Payments', payment, idempotencyKey);
  }

  /** An ACCREC credit note; amounts kept back are lines with a negative amount, as Xero allows. */
  async postCreditNote(note: CreditNoteDraft, idempotencyKey: string): Promise<{ id: string }> {
    const contact = await this.customerOf(note);
    const lineItems = [
      ...note.lines.map((line) =>
        this.lineItem(line.description, 1, Number(line.amount), Number(line.taxAmount), line),
      ),
      ...note.deductions.map((deduction) =>
        this.lineItem(deduction.description, 1, -Number(deduction.amount), 0, { taxAmount: '0' }),
      ),
    ];
    const references = { Reference: `${note.number} (order ${note.orderId})` };
    const document = this.salesDocument('ACCRECCREDIT', contact, note, references, lineItems);
    return { id: await this.create('CreditNotes', document, idempotencyKey) };
  }

  /**
   * Creates one item of a collection with PUT, as Xero creates; the key makes a repeated call
   * return the first answer. The created item's id.
   */
  private async create(
    collection: keyof typeof CREATED_IDS,
    item: object,
    idempotencyKey: string,
  ): Promise<string> {
    const response = await this.client.request<Record<string, Array<Record<string, string>>>>({
      method: 'PUT',
      url: collection,
      data: { [collection]: [item] },
      headers: { 'Idempotency-Key': idempotencyKey },
    });
    return response[collection]![0]![CREATED_IDS[collection]]!;
  }
}

/** The id field of what each collection Xero creates answers. */
const CREATED_IDS = {
  Contacts: 'ContactID',
  Invoices: 'InvoiceID',
  Payments: 'PaymentID',
  CreditNotes: 'CreditNoteID',
} as const;

/** Xero's refusal of a contact whose name another active contact has. */
function isNameTaken(error: unknown): boolean {
  const refusal = partnerRefusal(error);
  return refusal !== undefined && JSON.stringify(refusal).includes('is already assigned to another contact');
}

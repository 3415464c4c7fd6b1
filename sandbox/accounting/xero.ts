import { randomUUID } from 'node:crypto';
import type { Router, Request, Response } from 'express';
import { routerBehindBearer, type SecretSource } from '../shared/secrets';
import { amount, BooksEmulator, cents, emptyLists, type BookLists, type Json } from './books';

/** Xero's validation error: `Elements[]` each with its `ValidationErrors[]`. */
function validationError(res: Response, messages: string[], element: Json = {}): void {
  res.status(400).json({
    ErrorNumber: 10,
    Type: 'ValidationException',
    Message: 'A validation exception occurred',
    Elements: [{ ...element, ValidationErrors: messages.map((Message) => ({ Message })) }],
  });
}

function notFound(res: Response, what: string): void {
  res
    .status(404)
    .json({ Title: 'Not Found', Status: 404, Detail: `${what} could not be found`, Type: 'NotFound' });
}

/** The lists a Xero organisation keeps: its chart, tax rates, contacts and documents. */
const XERO_LISTS = ['accounts', 'taxRates', 'contacts', 'invoices', 'payments', 'creditNotes'] as const;

/** A Xero organisation (tenant): its chart of accounts, tax rates, contacts and documents. */
export interface XeroOrganisation extends BookLists<(typeof XERO_LISTS)[number]> {
  tenantId: string;
}

/** The chart a new sandbox organisation starts with, as Xero's demo company has. */
export const STANDARD_XERO_ORGANISATION = {
  accounts: [
    { Code: '200', Name: 'Sales', Type: 'REVENUE' },
    { Code: '260', Name: 'Other Revenue', Type: 'REVENUE' },
    { Code: '090', Name: 'Business Bank Account', Type: 'BANK', EnablePaymentsToAccount: true },
  ],
  taxRates: [
    { TaxType: 'OUTPUT', Name: 'Tax on Sales', EffectiveRate: 10 },
    { TaxType: 'NONE', Name: 'Tax Exempt', EffectiveRate: 0 },
  ],
};

/**
 * Xero Accounting API 2.0 as a real organisation refuses: only tenants the token is connected
 * to, a contact that exists, line items with the organisation's account codes and tax types, and
 * no payment beyond what an invoice still owes. Totals and amounts due are computed here.
 * `Idempotency-Key` makes a write idempotent: a repeated key returns the first answer.
 */
export class XeroEmulator extends BooksEmulator<XeroOrganisation, 'invoices' | 'payments' | 'creditNotes'> {
  constructor(secrets: SecretSource, tenants: string[] = []) {
    super(secrets);
    for (const tenant of tenants) this.addOrganisation(tenant);
  }

  addOrganisation(
    tenantId: string,
    chart: Partial<typeof STANDARD_XERO_ORGANISATION> = {},
  ): XeroOrganisation {
    const organisation: XeroOrganisation = { tenantId, ...emptyLists(XERO_LISTS) };
    const full = { ...STANDARD_XERO_ORGANISATION, ...chart };
    for (const account of full.accounts)
      organisation.accounts.set(account.Code, { AccountID: randomUUID(), Status: 'ACTIVE', ...account });
    for (const rate of full.taxRates) organisation.taxRates.set(rate.TaxType, { Status: 'ACTIVE', ...rate });
    this.books.set(tenantId, organisation);
    return organisation;
  }

  /** A document of any organisation, by id (the sandbox's control surface). */
  find(list: 'invoices' | 'payments' | 'creditNotes', id: string): Json | undefined {
    for (const organisation of this.books.values()) {
      const found = organisation[list].get(id);
      if (found) return found;
    }
    return undefined;
  }

  router(): Router {
    const router = routerBehindBearer(this.secrets, 'xeroToken', (res) =>
      res.status(401).json({
        Title: 'Unauthorized',
        Status: 401,
        Detail: 'AuthenticationUnsuccessful',
        Type: 'Unauthorized',
      }),
    );
    router.use((req, res, next) => {
      const tenant = req.headers['xero-tenant-id'];
      const organisation = typeof tenant === 'string' ? this.books.get(tenant) : undefined;
      if (!organisation)
        return res.status(403).json({
          Title: 'Forbidden',
          Status: 403,
          Detail: `AuthenticationUnsuccessful: the connection has no access to tenant ${String(tenant ?? '(none)')}`,
          Type: 'Forbidden',
        });
      res.locals.organisation = organisation;
      next();
    });
    const org = (res: Response) => res.locals.organisation as XeroOrganisation;
    router.get('/api.xro/2.0/Contacts', (req, res) => {
      const where = typeof req.query.where === 'string' ? req.query.where : '';
      const match = /^\s*(EmailAddress|Name)\s*==\s*"((?:[^"\\]|\\.)*)"\s*$/.exec(where);
      if (where && !match) return validationError(res, [`The where filter ${where} is not supported`]);
      const contacts = [...org(res).contacts.values()].filter(
        (c) =>
          !match ||
          String(c[match[1]!] ?? '').toLowerCase() === match[2]!.replace(/\\(.)/g, '$1').toLowerCase(),
      );
      res.json(this.envelope('Contacts', contacts));
    });
    router.get('/api.xro/2.0/:collection/:id', (req, res) => {
      const list = (
        {
          Invoices: 'invoices',
          Payments: 'payments',
          CreditNotes: 'creditNotes',
          Contacts: 'contacts',
        } as const
      )[String(req.params.collection) as 'Invoices'];
      const document = list && org(res)[list].get(String(req.params.id));
      if (!document) return notFound(res, `${String(req.params.collection)} ${String(req.params.id)}`);
      res.json(this.envelope(String(req.params.collection), [document]));
    });
    for (const method of ['put', 'post'] as const) {
      router[method]('/api.xro/2.0/Contacts', (req, res) => this.create(req, res, 'Contacts'));
      router[method]('/api.xro/2.0/Invoices', (req, res) => this.create(req, res, 'Invoices'));
      router[method]('/api.xro/2.0/Payments', (req, res) => this.create(req, res, 'Payments'));
      router[method]('/api.xro/2.0/CreditNotes', (req, res) => this.create(req, res, 'CreditNotes'));
    }
    router.use((req, res) => notFound(res, `The resource ${req.method} ${req.path}`));
    return router;
  }

  private envelope(collection: string, documents: Json[]): Json {
    return {
      Id: randomUUID(),
      Status: 'OK',
      ProviderName: 'crossdock',
      DateTimeUTC: new Date().toISOString(),
      [collection]: documents,
    };
  }

  private create(
    req: Request,
    res: Response,
    collection: 'Contacts' | 'Invoices' | 'Payments' | 'CreditNotes',
  ): void {
    const organisation = res.locals.organisation as XeroOrganisation;
    const header = req.headers['idempotency-key'];
    const key = typeof header === 'string' ? `${organisation.tenantId}:${collection}:${header}` : undefined;
    const replay = this.idempotency.replay(key);
    if (replay) return void res.status(replay.status).json(replay.body);
    const body = req.body && typeof req.body === 'object' ? (req.body as Json) : {};
    // A single Payment may be sent bare, as xero-node's createPayment does.
    const items = (
      Array.isArray(body[collection])
        ? body[collection]
        : collection === 'Payments' && body.Invoice
          ? [body]
          : []
    ) as Json[];
    if (items.length === 0) return validationError(res, [`${collection} are required`]);
    const created: Json[] = [];
    for (const item of items) {
      const problems: string[] = [];
      const document =
        collection === 'Contacts'
          ? this.contact(organisation, item, problems)
          : collection === 'Payments'
            ? this.payment(organisation, item, problems)
            : this.document(organisation, item, collection, problems);
      if (problems.length > 0 || !document) return validationError(res, problems, item);
      created.push(document);
    }
    // Writes only once every item is valid: a refused request leaves the organisation as it was.
    for (const document of created) this.store(organisation, collection, document);
    const response = this.envelope(collection, created);
    this.idempotency.remember(key, 200, response);
    res.json(response);
  }

  private store(organisation: XeroOrganisation, collection: string, document: Json): void {
    if (collection === 'Contacts') organisation.contacts.set(String(document.ContactID), document);
    else if (collection === 'Invoices') organisation.invoices.set(String(document.InvoiceID), document);
    else if (collection === 'CreditNotes')
      organisation.creditNotes.set(String(document.CreditNoteID), document);
    else {
      organisation.payments.set(String(document.PaymentID), document);
      const invoice = organisation.invoices.get(String((document.Invoice as Json).InvoiceID))!;
      invoice.AmountDue = amount(cents(invoice.AmountDue) - cents(document.Amount));
      invoice.AmountPaid = amount(cents(invoice.AmountPaid ?? 0) + cents(document.Amount));
      if (cents(invoice.AmountDue) === 0) invoice.Status = 'PAID';
    }
  }

  private contact(organisation: XeroOrganisation, item: Json, problems: string[]): Json | undefined {
    const name = typeof item.Name === 'string' ? item.Name.trim() : '';
    if (!name) problems.push('The contact name must be specified');
    else if (
      [...organisation.contacts.values()].some((c) => String(c.Name).toLowerCase() === name.toLowerCase())
    )
      problems.push(
        `The contact name ${name} is already assigned to another contact. The contact name must be unique across all active contacts.`,
      );
    return problems.length
      ? undefined
      : { ...item, Name: name, ContactID: randomUUID(), ContactStatus: 'ACTIVE' };
  }

  /** An invoice or credit note: an existing contact, line items on the organisation's accounts and tax types. */
  private document(
    organisation: XeroOrganisation,
    item: Json,
    collection: 'Invoices' | 'CreditNotes',
    problems: string[],
  ): Json | undefined {
    const types = collection === 'Invoices' ? ['ACCREC', 'ACCPAY'] : ['ACCRECCREDIT', 'ACCPAYCREDIT'];
    if (!types.includes(String(item.Type))) problems.push(`Type must be one of ${types.join(', ')}`);
    const contactId = (item.Contact as Json | undefined)?.ContactID;
    if (!contactId) problems.push('A Contact (ContactID) must be specified');
    else if (!organisation.contacts.has(String(contactId)))
      problems.push(`The Contact ${String(contactId)} does not exist in this organisation`);
    const lines = Array.isArray(item.LineItems) ? (item.LineItems as Json[]) : [];
    if (lines.length === 0) problems.push('At least one line item must be specified');
    let subTotal = 0;
    let totalTax = 0;
    lines.forEach((line, index) => {
      const at = `Line item ${index + 1}`;
      if (!line.Description) problems.push(`${at}: Description cannot be empty`);
      const account = organisation.accounts.get(String(line.AccountCode ?? ''));
      if (!account || account.Type === 'BANK')
        problems.push(
          `${at}: Account code '${String(line.AccountCode ?? '')}' is not a valid code for this document`,
        );
      if (line.TaxType !== undefined && !organisation.taxRates.has(String(line.TaxType)))
        problems.push(
          `${at}: The TaxType code '${String(line.TaxType)}' does not exist or cannot be used for this type of transaction`,
        );
      const quantity = line.Quantity === undefined ? 1 : Number(line.Quantity);
      if (!Number.isFinite(quantity) || !Number.isFinite(Number(line.UnitAmount)))
        problems.push(`${at}: Quantity and UnitAmount must be numbers`);
      subTotal += Math.round(quantity * cents(line.UnitAmount));
      totalTax += cents(line.TaxAmount ?? 0);
    });
    const total = subTotal + totalTax;
    if (collection === 'CreditNotes' && total < 0) problems.push('The credit note total cannot be negative');
    if (problems.length) return undefined;
    const idField = collection === 'Invoices' ? 'InvoiceID' : 'CreditNoteID';
    const number = collection === 'Invoices' ? 'InvoiceNumber' : 'CreditNoteNumber';
    const prefix = collection === 'Invoices' ? 'INV' : 'CN';
    return {
      ...item,
      [idField]: randomUUID(),
      [number]: `${prefix}-${String(organisation[collection === 'Invoices' ? 'invoices' : 'creditNotes'].size + 1).padStart(4, '0')}`,
      SubTotal: amount(subTotal),
      TotalTax: amount(totalTax),
      Total: amount(total),
      ...(collection === 'Invoices'
        ? { AmountDue: amount(total), AmountPaid: 0 }
        : { RemainingCredit: amount(total) }),
      Status: item.Status ?? 'DRAFT',
    };
  }

  private payment(organisation: XeroOrganisation, item: Json, problems: string[]): Json | undefined {
    const invoiceId = (item.Invoice as Json | undefined)?.InvoiceID;
    const invoice = invoiceId ? organisation.invoices.get(String(invoiceId)) : undefined;
    if (!invoice) problems.push(`Invoice ${String(invoiceId ?? '(none)')} could not be found`);
    const account = organisation.accounts.get(String((item.Account as Json | undefined)?.Code ?? ''));
    if (!account || !account.EnablePaymentsToAccount)
      problems.push('Account must be valid and enabled for payments');
    const paid = cents(item.Amount);
    if (!(paid > 0)) problems.push('Payment amount must be greater than zero');
    if (invoice && invoice.Status !== 'AUTHORISED')
      problems.push('Payments can only be made against authorised documents');
    if (invoice && paid > cents(invoice.AmountDue))
      problems.push('Payment amount exceeds the amount outstanding on this document');
    if (problems.length) return undefined;
    return { ...item, PaymentID: randomUUID(), Status: 'AUTHORISED', Amount: amount(paid) };
  }
}

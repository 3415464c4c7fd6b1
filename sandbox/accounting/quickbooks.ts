import type { Router, Request, Response } from 'express';
import { routerBehindBearer, type SecretSource } from '../shared/secrets';
import { amount, BooksEmulator, cents, emptyLists, type BookLists, type Json } from './books';

/** QuickBooks' own error shape: `Fault.Error[]` with a code and, for a field, its `element`. */
function fault(
  res: Response,
  status: number,
  code: string,
  message: string,
  options: { element?: string; detail?: string; type?: string } = {},
): void {
  res.status(status).json({
    Fault: {
      Error: [
        {
          Message: message,
          Detail: options.detail ?? message,
          code,
          ...(options.element ? { element: options.element } : {}),
        },
      ],
      type: options.type ?? 'ValidationFault',
    },
    time: new Date().toISOString(),
  });
}

/** A QuickBooks company (realm): its lists and its transactions. */
export interface QboCompany extends BookLists<(typeof ENTITY_LISTS)[keyof typeof ENTITY_LISTS]> {
  realmId: string;
  nextId: number;
}

/** The lists a new sandbox company starts with, as a QuickBooks sandbox company does. */
export const STANDARD_QBO_COMPANY = {
  items: [
    { Id: '1', Name: 'Sales', Type: 'Service', IncomeAccountRef: { value: '79' } },
    { Id: '2', Name: 'Shipping', Type: 'Service', IncomeAccountRef: { value: '79' } },
  ],
  taxCodes: [
    { Id: 'TAX', Name: 'TAX', Taxable: true },
    { Id: 'NON', Name: 'NON', Taxable: false },
  ],
  accounts: [
    { Id: '79', Name: 'Sales of Product Income', AccountType: 'Income' },
    { Id: '4', Name: 'Undeposited Funds', AccountType: 'Other Current Asset' },
  ],
};

/** The list of the company's books each entity is kept in. */
const ENTITY_LISTS = {
  customer: 'customers',
  item: 'items',
  taxcode: 'taxCodes',
  account: 'accounts',
  invoice: 'invoices',
  payment: 'payments',
  creditmemo: 'creditMemos',
} as const;
const ENTITY_NAMES: Record<keyof typeof ENTITY_LISTS, string> = {
  customer: 'Customer',
  item: 'Item',
  taxcode: 'TaxCode',
  account: 'Account',
  invoice: 'Invoice',
  payment: 'Payment',
  creditmemo: 'CreditMemo',
};

/**
 * QuickBooks Online Accounting API v3 as it refuses what a real company refuses: only the realms
 * the token is authorised for, references (customer, item, tax code, linked invoice) that exist in
 * that company, required fields, line amounts that add up, and no payment beyond an invoice's
 * balance. Totals and balances are computed here, never copied from the request. `requestid`
 * makes a write idempotent: a repeated id returns the first response and creates nothing.
 */
export class QuickBooksEmulator extends BooksEmulator<QboCompany, 'invoices' | 'payments' | 'creditMemos'> {
  constructor(secrets: SecretSource, realms: string[] = []) {
    super(secrets);
    for (const realm of realms) this.addCompany(realm);
  }

  /** A company the sandbox token is authorised for, with the standard lists and any given. */
  addCompany(realmId: string, lists: Partial<typeof STANDARD_QBO_COMPANY> = {}): QboCompany {
    const company: QboCompany = { realmId, ...emptyLists(Object.values(ENTITY_LISTS)), nextId: 100 };
    for (const [list, entries] of Object.entries({ ...STANDARD_QBO_COMPANY, ...lists }))
      for (const entry of entries as Json[])
        (company[list as 'items'] as Map<string, Json>).set(String(entry.Id), { ...entry, Active: true });
    this.books.set(realmId, company);
    return company;
  }

  router(): Router {
    const router = routerBehindBearer(this.secrets, 'quickbooksToken', (res) =>
      fault(res, 401, '3200', 'message=AuthenticationFailed; errorCode=003200; statusCode=401', {
        type: 'AUTHENTICATION',
      }),
    );
    const company = (req: Request, res: Response): QboCompany | undefined => {
      const found = this.books.get(String(req.params.realm));
      if (!found)
        fault(
          res,
          403,
          '003100',
          'message=ApplicationAuthorizationFailed; errorCode=003100; statusCode=403',
          {
            detail: `the access token is not authorised for company ${String(req.params.realm)}`,
            type: 'AUTHORIZATION',
          },
        );
      return found;
    };
    router.get('/v3/company/:realm/query', (req, res) => {
      const found = company(req, res);
      if (found) this.query(found, String(req.query.query ?? ''), res);
    });
    router.post('/v3/company/:realm/:entity', (req, res) => {
      const found = company(req, res);
      if (found) this.create(found, req, res);
    });
    router.get('/v3/company/:realm/:entity/:id', (req, res) => {
      const found = company(req, res);
      if (!found) return;
      const entity = String(req.params.entity).toLowerCase() as keyof typeof ENTITY_LISTS;
      const list = ENTITY_LISTS[entity];
      const document = list && (found[list] as Map<string, Json>).get(String(req.params.id));
      if (!document)
        return fault(res, 400, '610', 'Object Not Found', {
          detail: `Object Not Found : Something you're trying to use has been made inactive or is not found.`,
        });
      res.json({ [ENTITY_NAMES[entity]]: document, time: new Date().toISOString() });
    });
    router.use((req, res) =>
      fault(res, 404, '404', 'Unsupported Operation', {
        detail: `${req.method} ${req.path} is not an operation`,
      }),
    );
    return router;
  }

  /** `select * from <Entity> [where <Field> = '<value>'] [startposition n] [maxresults n]`. */
  private query(company: QboCompany, statement: string, res: Response): void {
    const match =
      /^\s*select \* from (\w+)(?:\s+where\s+([\w.]+)\s*=\s*'((?:[^']|\\')*)')?(?:\s+startposition\s+(\d+))?(?:\s+maxresults\s+(\d+))?\s*$/i.exec(
        statement,
      );
    const entity = match?.[1]?.toLowerCase() as keyof typeof ENTITY_LISTS | undefined;
    if (!match || !entity || !ENTITY_LISTS[entity])
      return fault(res, 400, '4000', 'Error parsing query', { detail: `QueryParserError: ${statement}` });
    const [, , field, value, start, max] = match;
    const read = (document: Json, path: string) =>
      path.split('.').reduce<unknown>((v, key) => (v as Json | undefined)?.[key], document);
    const fieldOf = (document: Json) => {
      const found = read(document, field!);
      // `PrimaryEmailAddr = 'x'` compares its Address, as QuickBooks does.
      return found && typeof found === 'object' ? (found as Json).Address : found;
    };
    const all = [...(company[ENTITY_LISTS[entity]] as Map<string, Json>).values()].filter(
      (document) => !field || String(fieldOf(document) ?? '') === value!.replace(/\\'/g, "'"),
    );
    const offset = Math.max(0, Number(start ?? 1) - 1);
    const page = all.slice(offset, offset + Number(max ?? 100));
    res.json({
      QueryResponse:
        page.length > 0
          ? { [ENTITY_NAMES[entity]]: page, startPosition: offset + 1, maxResults: page.length }
          : {},
      time: new Date().toISOString(),
    });
  }

  private create(company: QboCompany, req: Request, res: Response): void {
    const entity = String(req.params.entity).toLowerCase();
    if (!['customer', 'invoice', 'payment', 'creditmemo'].includes(entity))
      return fault(res, 404, '404', 'Unsupported Operation', {
        detail: `POST ${req.path} is not an operation`,
      });
    const requestId =
      typeof req.query.requestid === 'string'
        ? `${company.realmId}:${entity}:${req.query.requestid}`
        : undefined;
    const replay = this.idempotency.replay(requestId);
    if (replay) return void res.status(replay.status).json(replay.body);
    const body =
      req.body && typeof req.body === 'object' && !Array.isArray(req.body) ? (req.body as Json) : {};
    const refused = (code: string, message: string, element?: string, detail?: string) => {
      fault(res, 400, code, message, { element, detail });
      return undefined;
    };
    const created =
      entity === 'customer'
        ? this.customer(company, body, refused)
        : entity === 'payment'
          ? this.payment(company, body, refused)
          : this.salesDocument(company, body, entity === 'invoice' ? 'invoices' : 'creditMemos', refused);
    if (!created) return;
    const response = { [ENTITY_NAMES[entity as 'invoice']]: created, time: new Date().toISOString() };
    this.idempotency.remember(requestId, 200, response);
    res.json(response);
  }

  private customer(
    company: QboCompany,
    body: Json,
    refused: (code: string, message: string, element?: string, detail?: string) => undefined,
  ): Json | undefined {
    const name = typeof body.DisplayName === 'string' ? body.DisplayName.trim() : '';
    if (!name)
      return refused(
        '2020',
        'Required param missing, need to supply the required value for the API',
        'DisplayName',
      );
    const taken = [...company.customers.values()].find((c) => c.DisplayName === name);
    if (taken)
      return refused(
        '6240',
        'Duplicate Name Exists Error',
        'DisplayName',
        `The name supplied already exists. : Id=${String(taken.Id)}`,
      );
    const customer = {
      ...body,
      DisplayName: name,
      Id: String(company.nextId++),
      SyncToken: '0',
      Active: true,
      Balance: 0,
    };
    company.customers.set(customer.Id, customer);
    return customer;
  }

  /** An invoice or a credit memo: a customer and sales lines of the company's items; totals computed. */
  private salesDocument(
    company: QboCompany,
    body: Json,
    list: 'invoices' | 'creditMemos',
    refused: (code: string, message: string, element?: string, detail?: string) => undefined,
  ): Json | undefined {
    const customer = this.reference(company, 'customers', body.CustomerRef, 'CustomerRef', refused);
    if (!customer) return undefined;
    const lines = Array.isArray(body.Line) ? (body.Line as Json[]) : [];
    if (lines.length === 0)
      return refused('2020', 'Required param missing, need to supply the required value for the API', 'Line');
    let sales = 0;
    let discounts = 0;
    for (const [index, line] of lines.entries()) {
      const at = `Line[${index}]`;
      if (!(Number.isFinite(Number(line.Amount)) && line.Amount !== undefined))
        return refused(
          '2020',
          'Required param missing, need to supply the required value for the API',
          `${at}.Amount`,
        );
      if (line.DetailType === 'SalesItemLineDetail') {
        const detail = (line.SalesItemLineDetail ?? {}) as Json;
        if (!this.reference(company, 'items', detail.ItemRef, `${at}.SalesItemLineDetail.ItemRef`, refused))
          return undefined;
        if (
          detail.TaxCodeRef !== undefined &&
          !this.reference(
            company,
            'taxCodes',
            detail.TaxCodeRef,
            `${at}.SalesItemLineDetail.TaxCodeRef`,
            refused,
          )
        )
          return undefined;
        if (
          detail.UnitPrice !== undefined &&
          detail.Qty !== undefined &&
          cents(Number(detail.UnitPrice) * Number(detail.Qty)) !== cents(line.Amount)
        )
          return refused(
            '6070',
            'Amount is not equal to UnitPrice * Qty',
            `${at}.Amount`,
            `Supplied value:${String(line.Amount)}`,
          );
        sales += cents(line.Amount);
      } else if (line.DetailType === 'DiscountLineDetail') {
        discounts += cents(line.Amount);
      } else {
        return refused('2010', 'Request has invalid or unsupported property', `${at}.DetailType`);
      }
    }
    const tax = cents((body.TxnTaxDetail as Json | undefined)?.TotalTax ?? 0);
    const total = sales + tax - discounts;
    if (total < 0)
      return refused(
        '6000',
        'A business validation error has occurred',
        'Line',
        'the total cannot be negative',
      );
    const document = {
      ...body,
      Id: String(company.nextId++),
      SyncToken: '0',
      TotalAmt: amount(total),
      Balance: amount(total),
    };
    company[list].set(document.Id, document);
    return document;
  }

  private payment(
    company: QboCompany,
    body: Json,
    refused: (code: string, message: string, element?: string, detail?: string) => undefined,
  ): Json | undefined {
    const customer = this.reference(company, 'customers', body.CustomerRef, 'CustomerRef', refused);
    if (!customer) return undefined;
    const total = cents(body.TotalAmt);
    if (!(total > 0))
      return refused(
        '2020',
        'Required param missing, need to supply the required value for the API',
        'TotalAmt',
      );
    const lines = Array.isArray(body.Line) ? (body.Line as Json[]) : [];
    const linked = lines.flatMap((line, index) =>
      ((line.LinkedTxn as Json[] | undefined) ?? []).map((txn) => ({
        txn,
        amount: cents(line.Amount),
        index,
      })),
    );
    if (linked.length === 0)
      return refused(
        '2020',
        'Required param missing, need to supply the required value for the API',
        'Line.LinkedTxn',
      );
    if (linked.reduce((sum, l) => sum + l.amount, 0) > total)
      return refused(
        '6000',
        'A business validation error has occurred',
        'Line',
        'the lines apply more than the payment',
      );
    for (const { txn, amount: applied, index } of linked) {
      const invoice = company.invoices.get(String(txn.TxnId));
      if (txn.TxnType !== 'Invoice' || !invoice)
        return refused(
          '2500',
          'Invalid Reference Id',
          `Line[${index}].LinkedTxn`,
          `Invalid Reference Id : the invoice ${String(txn.TxnId)} does not exist`,
        );
      if ((invoice.CustomerRef as Json).value !== customer.Id)
        return refused(
          '6000',
          'A business validation error has occurred',
          `Line[${index}].LinkedTxn`,
          `invoice ${String(invoice.Id)} belongs to another customer`,
        );
      if (applied > cents(invoice.Balance))
        return refused(
          '6000',
          'A business validation error has occurred',
          `Line[${index}].Amount`,
          `the payment of ${amount(applied)} exceeds the balance of invoice ${String(invoice.Id)} (${String(invoice.Balance)})`,
        );
    }
    for (const { txn, amount: applied } of linked) {
      const invoice = company.invoices.get(String(txn.TxnId))!;
      invoice.Balance = amount(cents(invoice.Balance) - applied);
    }
    const payment = {
      ...body,
      Id: String(company.nextId++),
      SyncToken: '0',
      TotalAmt: amount(total),
      UnappliedAmt: 0,
    };
    company.payments.set(payment.Id, payment);
    return payment;
  }

  /** A `{value}` reference to an active entry of one of the company's lists, or a refusal naming it. */
  private reference(
    company: QboCompany,
    list: 'customers' | 'items' | 'taxCodes',
    ref: unknown,
    element: string,
    refused: (code: string, message: string, element?: string, detail?: string) => undefined,
  ): Json | undefined {
    const value = (ref as Json | undefined)?.value;
    if (value === undefined || value === null || value === '')
      return refused(
        '2020',
        'Required param missing, need to supply the required value for the API',
        element,
      );
    const entry = company[list].get(String(value));
    if (!entry || entry.Active === false)
      return refused(
        '2500',
        'Invalid Reference Id',
        element,
        `Invalid Reference Id : ${element} ${String(value)} does not exist in company ${company.realmId}`,
      );
    return entry;
  }
}

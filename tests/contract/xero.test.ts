import { randomUUID } from 'node:crypto';
import axios from 'axios';
import { Invoice, LineAmountTypes, XeroClient, type Contact } from 'xero-node';
import { XeroConnector } from '../../connectors/accounting/xero';
import {
  expectRefusedForGood,
  sandboxConnectorConfig,
  tentOrderInvoice,
} from '../support/contract-connectors';

type Json = Record<string, unknown>;

/** What Xero answered when the official client was refused: its status and validation messages. */
async function refusal(promise: Promise<unknown>): Promise<{ status: number; messages: string[] }> {
  const error = (await promise.then(
    () => undefined,
    (e: unknown) => e,
  )) as { response?: { statusCode?: number; body?: unknown } } | undefined;
  expect(error).toBeDefined();
  const parsed = typeof error === 'string' ? (JSON.parse(error) as typeof error) : error;
  const body = (parsed!.response?.body ?? {}) as {
    Elements?: Array<{ ValidationErrors?: Array<{ Message: string }> }>;
    Detail?: string;
  };
  return {
    status: parsed!.response!.statusCode!,
    messages: [
      ...(body.Elements ?? []).flatMap((e) => (e.ValidationErrors ?? []).map((v) => v.Message)),
      ...(body.Detail ? [body.Detail] : []),
    ],
  };
}

/**
 * The sandbox Xero driven by xero-node, Xero's official client, through every operation the hub
 * uses; and its refusals, as a real organisation refuses, in Xero's shape.
 */
describe('sandbox Xero under the official client', () => {
  const sandbox = process.env.CROSSDOCK_SANDBOX_URL!;
  const tenant = randomUUID();
  const xero = new XeroClient({
    clientId: 'client-id',
    clientSecret: 'client-secret',
    redirectUris: ['http://localhost/cb'],
    scopes: ['accounting.transactions'],
  });

  beforeAll(async () => {
    await axios.put(`${sandbox}/__sandbox/xero/organisations/${tenant}`, {});
    xero.setTokenSet({ access_token: process.env.CROSSDOCK_SANDBOX_XERO_TOKEN, token_type: 'Bearer' });
    xero.accountingApi.basePath = `${sandbox}/xero/api.xro/2.0`;
  });

  const sale = (contact: string, overrides: Partial<Invoice> = {}): Invoice =>
    ({
      type: Invoice.TypeEnum.ACCREC,
      contact: { contactID: contact },
      date: '2026-12-02',
      lineAmountTypes: LineAmountTypes.Exclusive,
      status: Invoice.StatusEnum.AUTHORISED,
      lineItems: [
        {
          description: 'Widget',
          quantity: 3,
          unitAmount: 12.5,
          taxAmount: 3,
          accountCode: '200',
          taxType: 'OUTPUT',
        },
      ],
      total: 1, // a client's total counts for nothing: the organisation computes it
      ...overrides,
    }) as Invoice;

  it('finds and creates contacts, invoices them, takes payments and issues credit notes, computing every total', async () => {
    const email = `linus-${randomUUID().slice(0, 6)}@example.com`;
    const none = await xero.accountingApi.getContacts(tenant, undefined, `EmailAddress=="${email}"`);
    expect(none.body.contacts).toEqual([]);
    const created = await xero.accountingApi.createContacts(
      tenant,
      { contacts: [{ name: `Linus <${email}>`, emailAddress: email } as Contact] },
      false,
      randomUUID(),
    );
    const contactId = created.body.contacts![0]!.contactID!;
    const found = await xero.accountingApi.getContacts(tenant, undefined, `EmailAddress=="${email}"`);
    expect(found.body.contacts!.map((c) => c.contactID)).toEqual([contactId]);

    const invoice = (
      await xero.accountingApi.createInvoices(
        tenant,
        { invoices: [sale(contactId)] },
        false,
        undefined,
        randomUUID(),
      )
    ).body.invoices![0]!;
    expect({ total: invoice.total, due: invoice.amountDue, tax: invoice.totalTax }).toEqual({
      total: 40.5,
      due: 40.5,
      tax: 3,
    });
    const payment = await xero.accountingApi.createPayment(
      tenant,
      {
        invoice: { invoiceID: invoice.invoiceID },
        account: { code: '090' },
        amount: 40.5,
        date: '2026-12-02',
      },
      randomUUID(),
    );
    expect(payment.body.payments![0]!.paymentID).toBeTruthy();
    const paid = (await xero.accountingApi.getInvoice(tenant, invoice.invoiceID!)).body.invoices![0]!;
    expect({ due: paid.amountDue, status: paid.status }).toEqual({ due: 0, status: Invoice.StatusEnum.PAID });
    const note = await xero.accountingApi.createCreditNotes(
      tenant,
      {
        creditNotes: [
          {
            type: 'ACCRECCREDIT' as never,
            contact: { contactID: contactId },
            lineAmountTypes: LineAmountTypes.Exclusive,
            status: 'AUTHORISED' as never,
            lineItems: [
              {
                description: 'Widget returned',
                quantity: 1,
                unitAmount: 12.5,
                taxAmount: 1,
                accountCode: '200',
                taxType: 'OUTPUT',
              },
            ],
          },
        ],
      },
      false,
      undefined,
      randomUUID(),
    );
    expect(note.body.creditNotes![0]!.total).toBe(13.5);
  });

  it('refuses what a real organisation refuses, in Xero’s ValidationErrors, and another tenant with 403', async () => {
    const contact = (
      await xero.accountingApi.createContacts(tenant, {
        contacts: [{ name: `Grace ${randomUUID().slice(0, 6)}` } as Contact],
      })
    ).body.contacts![0]!.contactID!;
    const refused = (invoice: Invoice) =>
      refusal(xero.accountingApi.createInvoices(tenant, { invoices: [invoice] }));
    expect(await refused(sale(randomUUID()))).toEqual({
      status: 400,
      messages: [expect.stringMatching(/^The Contact .* does not exist in this organisation$/)],
    });
    expect(await refused(sale(contact, { lineItems: [] }))).toEqual({
      status: 400,
      messages: ['At least one line item must be specified'],
    });
    expect(
      await refused(
        sale(contact, {
          lineItems: [
            { description: 'x', quantity: 1, unitAmount: 1, accountCode: '999', taxType: 'OUTPUT' },
          ],
        }),
      ),
    ).toEqual({
      status: 400,
      messages: ["Line item 1: Account code '999' is not a valid code for this document"],
    });
    expect(
      await refused(
        sale(contact, {
          lineItems: [{ description: 'x', quantity: 1, unitAmount: 1, accountCode: '200', taxType: 'GST' }],
        }),
      ),
    ).toEqual({
      status: 400,
      messages: [
        "Line item 1: The TaxType code 'GST' does not exist or cannot be used for this type of transaction",
      ],
    });
    const invoice = (await xero.accountingApi.createInvoices(tenant, { invoices: [sale(contact)] })).body
      .invoices![0]!;
    expect(
      await refusal(
        xero.accountingApi.createPayment(tenant, {
          invoice: { invoiceID: invoice.invoiceID },
          account: { code: '090' },
          amount: 41,
        }),
      ),
    ).toEqual({ status: 400, messages: ['Payment amount exceeds the amount outstanding on this document'] });
    const elsewhere = await refusal(xero.accountingApi.getContacts(randomUUID()));
    expect(elsewhere.status).toBe(403);
  });

  function connector(options: Json): XeroConnector {
    process.env.CONTRACT_XERO_TOKEN = process.env.CROSSDOCK_SANDBOX_XERO_TOKEN;
    const config = sandboxConnectorConfig('xero', {
      tenant: 'globex',
      kind: 'accounting',
      path: 'xero/api.xro/2.0',
      credentials: { accessToken: { env: 'CONTRACT_XERO_TOKEN' } },
      options: {
        xeroTenantId: tenant,
        salesAccountCode: '200',
        serviceAccountCode: '260',
        taxType: 'OUTPUT',
        exemptTaxType: 'NONE',
        paymentAccountCode: '090',
        ...options,
      },
    });
    return new XeroConnector(config);
  }
  const draft = (email?: string) => tentOrderInvoice('globex', { name: 'Dorothy Vaughan', email });

  it('books the hub’s invoice to a contact it finds or creates once, on the organisation’s own codes', async () => {
    const email = `dv-${randomUUID().slice(0, 6)}@example.com`;
    const books = connector({});
    const first = await books.postInvoice(draft(email), randomUUID());
    await books.postInvoice(draft(email), randomUUID());
    const organisation = (
      await axios.get<{ contacts: Json[]; invoices: Json[] }>(
        `${sandbox}/__sandbox/xero/organisations/${tenant}`,
      )
    ).data;
    expect(organisation.contacts.filter((c) => c.EmailAddress === email)).toHaveLength(1);
    const invoice = organisation.invoices.find((i) => i.InvoiceID === first.id)!;
    expect(invoice).toMatchObject({ Total: 221, AmountDue: 221 });
    expect((invoice.LineItems as Json[]).map((l) => [l.AccountCode, l.TaxType])).toEqual([
      ['200', 'OUTPUT'],
      ['260', 'NONE'],
    ]);
    await books.postPayment(draft(email), first.id, randomUUID());
    const again = await books.postPayment(draft(email), first.id, randomUUID()).catch((e: unknown) => e);
    expectRefusedForGood(again, 'Payment amount exceeds the amount outstanding on this document');
  });

  it('turns a refusal into a failure that is not retried, with Xero’s own words, and needs every code named', async () => {
    const refused = await connector({ salesAccountCode: '404' })
      .postInvoice(draft(), randomUUID())
      .catch((e: unknown) => e);
    expectRefusedForGood(refused, "Account code '404' is not a valid code for this document");
    expect(() => connector({ taxType: undefined })).toThrow('options.taxType');
    expect(() => connector({ paymentAccountCode: undefined })).toThrow('options.paymentAccountCode');
  });
});

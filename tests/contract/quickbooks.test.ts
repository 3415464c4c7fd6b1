import { randomBytes } from 'node:crypto';
import axios from 'axios';
// The official QuickBooks Online client (CommonJS, no types).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const QuickBooks = require('node-quickbooks') as QuickBooksClass;
import { QuickBooksConnector } from '../../connectors/accounting/quickbooks';
import {
  expectRefusedForGood,
  sandboxConnectorConfig,
  tentOrderInvoice,
} from '../support/contract-connectors';

type Json = Record<string, unknown>;
type Callback = (error: unknown, result: Json) => void;
interface QuickBooksClient {
  endpoint: string;
  createCustomer(customer: Json, cb: Callback): void;
  findCustomers(criteria: Json, cb: Callback): void;
  createInvoice(invoice: Json, cb: Callback): void;
  getInvoice(id: string, cb: Callback): void;
  createPayment(payment: Json, cb: Callback): void;
  createCreditMemo(memo: Json, cb: Callback): void;
}
type QuickBooksClass = new (...args: unknown[]) => QuickBooksClient;

const call = <T = Json>(run: (cb: Callback) => void): Promise<T> =>
  new Promise((resolve, reject) => run((error, result) => (error ? reject(error) : resolve(result as T))));

/** What QuickBooks answered when the official client was refused: its Fault. */
async function refusal(
  promise: Promise<unknown>,
): Promise<{ code?: string; element?: string; Detail?: string }> {
  const error = (await promise.then(
    () => undefined,
    (e: unknown) => e,
  )) as {
    Fault?: { Error?: Array<{ code?: string; element?: string; Detail?: string }> };
    response?: { data?: unknown };
  };
  expect(error).toBeDefined();
  const body = (error.Fault ? error : (error.response?.data ?? error)) as { Fault?: { Error?: unknown[] } };
  expect(body.Fault?.Error?.length).toBeGreaterThan(0);
  return body.Fault!.Error![0] as { code?: string; element?: string; Detail?: string };
}

/**
 * The sandbox QuickBooks driven by node-quickbooks, Intuit's community client, through every
 * operation the hub uses; and its refusals, as a real company refuses, in QuickBooks' shape.
 */
describe('sandbox QuickBooks under the official client', () => {
  const sandbox = process.env.CROSSDOCK_SANDBOX_URL!;
  const realm = `9130${String(Math.floor(Math.random() * 1e12)).padStart(12, '0')}`;
  let qbo: QuickBooksClient;

  beforeAll(async () => {
    await axios.put(`${sandbox}/__sandbox/quickbooks/companies/${realm}`, {});
    qbo = new QuickBooks(
      'client-id',
      'client-secret',
      process.env.CROSSDOCK_SANDBOX_QUICKBOOKS_TOKEN,
      false,
      realm,
      true,
      false,
      75,
      '2.0',
    );
    qbo.endpoint = `${sandbox}/quickbooks/v3/company/`;
  });

  it('finds and creates customers, invoices them, takes payments and issues credit memos, computing every total', async () => {
    const email = `ada-${randomBytes(3).toString('hex')}@example.com`;
    const none = await call((cb) => qbo.findCustomers({ PrimaryEmailAddr: email }, cb));
    expect(none.QueryResponse).toEqual({});
    const customer = await call<{ Id: string }>((cb) =>
      qbo.createCustomer(
        { DisplayName: `Ada Lovelace <${email}>`, PrimaryEmailAddr: { Address: email } },
        cb,
      ),
    );
    const found = await call<{ QueryResponse: { Customer: Array<{ Id: string }> } }>((cb) =>
      qbo.findCustomers({ PrimaryEmailAddr: email }, cb),
    );
    expect(found.QueryResponse.Customer.map((c) => c.Id)).toEqual([customer.Id]);

    const invoice = await call<{ Id: string; TotalAmt: number; Balance: number }>((cb) =>
      qbo.createInvoice(
        {
          CustomerRef: { value: customer.Id },
          TotalAmt: 1, // what a client says the total is counts for nothing: the company computes it
          TxnTaxDetail: { TotalTax: 3.2 },
          Line: [
            {
              DetailType: 'SalesItemLineDetail',
              Amount: 40,
              SalesItemLineDetail: {
                ItemRef: { value: '1' },
                TaxCodeRef: { value: 'TAX' },
                Qty: 2,
                UnitPrice: 20,
              },
            },
          ],
        },
        cb,
      ),
    );
    expect(invoice).toMatchObject({ TotalAmt: 43.2, Balance: 43.2 });
    const payment = await call<{ Id: string }>((cb) =>
      qbo.createPayment(
        {
          CustomerRef: { value: customer.Id },
          TotalAmt: 20,
          Line: [{ Amount: 20, LinkedTxn: [{ TxnId: invoice.Id, TxnType: 'Invoice' }] }],
        },
        cb,
      ),
    );
    expect(payment.Id).toBeTruthy();
    expect(await call((cb) => qbo.getInvoice(invoice.Id, cb))).toMatchObject({
      Id: invoice.Id,
      Balance: 23.2,
    });
    const memo = await call((cb) =>
      qbo.createCreditMemo(
        {
          CustomerRef: { value: customer.Id },
          Line: [
            {
              DetailType: 'SalesItemLineDetail',
              Amount: 20,
              SalesItemLineDetail: { ItemRef: { value: '1' }, Qty: 1 },
            },
            { DetailType: 'DiscountLineDetail', Amount: 2, DiscountLineDetail: { PercentBased: false } },
          ],
        },
        cb,
      ),
    );
    expect(memo).toMatchObject({ TotalAmt: 18 });
  });

  it('refuses what a real company refuses, naming the element, in QuickBooks’ Fault shape', async () => {
    const customer = await call<{ Id: string }>((cb) =>
      qbo.createCustomer({ DisplayName: `Grace ${randomBytes(3).toString('hex')}` }, cb),
    );
    const line = (item: string) => ({
      DetailType: 'SalesItemLineDetail',
      Amount: 10,
      SalesItemLineDetail: { ItemRef: { value: item }, Qty: 1, UnitPrice: 10 },
    });
    expect(
      await refusal(call((cb) => qbo.createInvoice({ CustomerRef: { value: '1' }, Line: [line('1')] }, cb))),
    ).toMatchObject({
      code: '2500',
      element: 'CustomerRef',
    });
    expect(
      await refusal(
        call((cb) => qbo.createInvoice({ CustomerRef: { value: customer.Id }, Line: [line('999')] }, cb)),
      ),
    ).toMatchObject({
      code: '2500',
      element: 'Line[0].SalesItemLineDetail.ItemRef',
    });
    expect(
      await refusal(call((cb) => qbo.createInvoice({ CustomerRef: { value: customer.Id } }, cb))),
    ).toMatchObject({
      code: '2020',
      element: 'Line',
    });
    const invoice = await call<{ Id: string }>((cb) =>
      qbo.createInvoice({ CustomerRef: { value: customer.Id }, Line: [line('1')] }, cb),
    );
    expect(
      await refusal(
        call((cb) =>
          qbo.createPayment(
            {
              CustomerRef: { value: customer.Id },
              TotalAmt: 11,
              Line: [{ Amount: 11, LinkedTxn: [{ TxnId: invoice.Id, TxnType: 'Invoice' }] }],
            },
            cb,
          ),
        ),
      ),
    ).toMatchObject({ code: '6000', element: 'Line[0].Amount' });
    // A realm the token is not authorised for, and a route that does not exist: QuickBooks' JSON, never a page.
    const other = new QuickBooks(
      'id',
      'secret',
      process.env.CROSSDOCK_SANDBOX_QUICKBOOKS_TOKEN,
      false,
      '4620816365999999999',
      true,
      false,
      75,
      '2.0',
    );
    other.endpoint = qbo.endpoint;
    expect(await refusal(call((cb) => other.getInvoice(invoice.Id, cb)))).toMatchObject({ code: '003100' });
    const unknown = await axios.get(`${sandbox}/quickbooks/v3/company/${realm}/nothing/here/at/all`, {
      headers: { Authorization: `Bearer ${process.env.CROSSDOCK_SANDBOX_QUICKBOOKS_TOKEN}` },
      validateStatus: () => true,
    });
    expect(unknown.status).toBe(404);
    expect(unknown.data.Fault.Error[0].code).toBe('404');
  });

  function connector(options: Json): QuickBooksConnector {
    process.env.CONTRACT_QBO_TOKEN = process.env.CROSSDOCK_SANDBOX_QUICKBOOKS_TOKEN;
    const config = sandboxConnectorConfig('quickbooks', {
      tenant: 'acme',
      kind: 'accounting',
      credentials: { accessToken: { env: 'CONTRACT_QBO_TOKEN' } },
      options: {
        realmId: realm,
        itemRef: '1',
        serviceItemRef: '2',
        taxCodeRef: 'TAX',
        exemptTaxCodeRef: 'NON',
        ...options,
      },
    });
    return new QuickBooksConnector(config);
  }

  const invoice = (email: string) => tentOrderInvoice('acme', { name: 'Katherine Johnson', email });

  it('books the hub’s invoice to a customer it finds or creates once, and pays no more than is due', async () => {
    const email = `kj-${randomBytes(3).toString('hex')}@example.com`;
    const qb = connector({});
    const first = await qb.postInvoice(invoice(email), `inv-${randomBytes(4).toString('hex')}`);
    const second = await qb.postInvoice(invoice(email), `inv-${randomBytes(4).toString('hex')}`);
    const books = (
      await axios.get<{
        customers: Array<{ Id: string; PrimaryEmailAddr?: { Address: string } }>;
        invoices: Json[];
      }>(`${sandbox}/__sandbox/quickbooks/companies/${realm}`)
    ).data;
    const customers = books.customers.filter((c) => c.PrimaryEmailAddr?.Address === email);
    expect(customers).toHaveLength(1); // found the second time, not created again
    const booked = books.invoices.filter((i) => [first.id, second.id].includes(String(i.Id)));
    expect(booked.map((i) => (i.CustomerRef as { value: string }).value)).toEqual([
      customers[0]!.Id,
      customers[0]!.Id,
    ]);
    expect(booked[0]).toMatchObject({ TotalAmt: 221, Balance: 221 });
    expect(
      (booked[0]!.Line as Array<{ SalesItemLineDetail: Json }>).map((l) => l.SalesItemLineDetail.TaxCodeRef),
    ).toEqual([{ value: 'TAX' }, { value: 'NON' }]);
    const paid = await qb.postPayment(invoice(email), first.id, `pay-${randomBytes(4).toString('hex')}`);
    const again = await qb
      .postPayment(invoice(email), first.id, `pay-${randomBytes(4).toString('hex')}`)
      .catch((e: unknown) => e);
    expectRefusedForGood(again, 'exceeds the balance of invoice');
    // Paying an invoice it has just posted, the connector knows its customer: no read of it. Another
    // process (here a second connector) reads the invoice for it, and books the same customer.
    const elsewhere = await connector({}).postPayment(
      invoice(email),
      second.id,
      `pay-${randomBytes(4).toString('hex')}`,
    );
    const calls = (
      await axios.get<Array<{ method: string; path: string }>>(`${sandbox}/__sandbox/calls`, {
        params: { partner: 'quickbooks' },
      })
    ).data;
    const reads = (id: string) =>
      calls.filter((c) => c.method === 'GET' && c.path === `/quickbooks/v3/company/${realm}/invoice/${id}`)
        .length;
    expect([reads(first.id), reads(second.id)]).toEqual([0, 1]);
    const payments = (
      await axios.get<{ payments: Array<{ Id: string; CustomerRef: { value: string } }> }>(
        `${sandbox}/__sandbox/quickbooks/companies/${realm}`,
      )
    ).data.payments.filter((p) => [paid.id, elsewhere.id].includes(String(p.Id)));
    expect(payments.map((p) => p.CustomerRef.value)).toEqual([customers[0]!.Id, customers[0]!.Id]);
  });

  it('turns a refusal into a failure that is not retried, with QuickBooks’ own words', async () => {
    const refused = await connector({ itemRef: '404' })
      .postInvoice(invoice('x@example.com'), `inv-${randomBytes(4).toString('hex')}`)
      .catch((e: unknown) => e);
    expectRefusedForGood(refused, 'Line[0].SalesItemLineDetail.ItemRef: Invalid Reference Id');
    expect(() => connector({ itemRef: undefined })).toThrow('options.itemRef');
  });
});

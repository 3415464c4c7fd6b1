import { Router, type Request, type Response } from 'express';
import { bearerMatches, type SecretSource } from '../shared/secrets';
import { IdempotentResponses } from './idempotency';

type Json = Record<string, unknown>;

function fault(res: Response, status: number, code: string, message: string): void {
  res.status(status).json({
    Fault: { Error: [{ Message: message, Detail: message, code }], type: 'ValidationFault' },
    time: new Date().toISOString(),
  });
}

/**
 * QuickBooks Online Accounting API v3 (invoice, payment, credit memo) for any realm, with `requestid`
 * idempotency: a repeated request id returns the first response and creates nothing.
 */
export class QuickBooksEmulator {
  readonly invoices = new Map<string, Json>();
  readonly payments = new Map<string, Json>();
  readonly creditMemos = new Map<string, Json>();
  readonly idempotency = new IdempotentResponses();
  private nextId = 100;

  constructor(private readonly secrets: SecretSource) {}

  router(): Router {
    const router = Router();
    router.use((req, res, next) => {
      if (!bearerMatches(req.headers.authorization, this.secrets('quickbooksToken')))
        return fault(res, 401, '3200', 'AuthenticationFailed');
      next();
    });
    router.post('/v3/company/:realm/invoice', (req, res) => this.create(req, res, 'Invoice'));
    router.post('/v3/company/:realm/payment', (req, res) => this.create(req, res, 'Payment'));
    router.post('/v3/company/:realm/creditmemo', (req, res) => this.create(req, res, 'CreditMemo'));
    router.get('/v3/company/:realm/invoice/:id', (req, res) => {
      const invoice = this.invoices.get(String(req.params.id));
      if (!invoice) return fault(res, 400, '610', 'Object Not Found');
      res.json({ Invoice: invoice, time: new Date().toISOString() });
    });
    return router;
  }

  private create(req: Request, res: Response, entity: 'Invoice' | 'Payment' | 'CreditMemo'): void {
    const requestId =
      typeof req.query.requestid === 'string' ? `${entity}:${req.query.requestid}` : undefined;
    const replay = this.idempotency.replay(requestId);
    if (replay) return void res.status(replay.status).json(replay.body);
    const body = (req.body ?? {}) as Json;
    if (!(body.CustomerRef as Json | undefined)?.value)
      return fault(
        res,
        400,
        '2020',
        'Required param missing, need to supply the required value for the API: CustomerRef',
      );
    let document: Json;
    if (entity === 'CreditMemo') {
      const lines = (body.Line as Json[] | undefined) ?? [];
      if (lines.length === 0) return fault(res, 400, '2020', 'Required param missing: Line');
      // Sales lines add up, discount lines (restocking fee, exchange credit) come off the total.
      const sales = lines
        .filter((line) => line.DetailType === 'SalesItemLineDetail')
        .reduce((sum, line) => sum + Number(line.Amount ?? 0), 0);
      const discounts = lines
        .filter((line) => line.DetailType === 'DiscountLineDetail')
        .reduce((sum, line) => sum + Number(line.Amount ?? 0), 0);
      const tax = Number((body.TxnTaxDetail as Json | undefined)?.TotalTax ?? 0);
      const total = Math.round((sales + tax - discounts) * 100) / 100;
      if (total < 0) return fault(res, 400, '6000', 'A credit memo total cannot be negative');
      document = { ...body, Id: String(this.nextId++), SyncToken: '0', TotalAmt: total, Balance: total };
      this.creditMemos.set(document.Id as string, document);
    } else if (entity === 'Invoice') {
      const lines = (body.Line as Json[] | undefined) ?? [];
      if (lines.length === 0) return fault(res, 400, '2020', 'Required param missing: Line');
      const subtotal = lines.reduce((sum, line) => sum + Number(line.Amount ?? 0), 0);
      const tax = Number((body.TxnTaxDetail as Json | undefined)?.TotalTax ?? 0);
      document = {
        ...body,
        Id: String(this.nextId++),
        SyncToken: '0',
        TotalAmt: Math.round((subtotal + tax) * 100) / 100,
        Balance: Math.round((subtotal + tax) * 100) / 100,
      };
      this.invoices.set(document.Id as string, document);
    } else {
      const linked = ((body.Line as Json[] | undefined)?.[0]?.LinkedTxn as Json[] | undefined)?.[0];
      const invoice = linked ? this.invoices.get(String(linked.TxnId)) : undefined;
      if (!invoice) return fault(res, 400, '610', 'Object Not Found: the linked invoice does not exist');
      invoice.Balance = Math.round((Number(invoice.Balance) - Number(body.TotalAmt ?? 0)) * 100) / 100;
      document = { ...body, Id: String(this.nextId++), SyncToken: '0' };
      this.payments.set(document.Id as string, document);
    }
    const response = { [entity]: document, time: new Date().toISOString() };
    this.idempotency.remember(requestId, 200, response);
    res.json(response);
  }
}

import { randomUUID } from 'node:crypto';
import { Router, type Request, type Response } from 'express';
import { bearerMatches, type SecretSource } from '../shared/secrets';
import { IdempotentResponses } from './idempotency';

type Json = Record<string, unknown>;

function validationError(res: Response, status: number, message: string): void {
  res.status(status).json({ ErrorNumber: 10, Type: 'ValidationException', Message: message });
}

/**
 * Xero Accounting API 2.0 (Invoices, Payments and CreditNotes via PUT) with `Idempotency-Key`: a repeated key
 * returns the first response and creates nothing.
 */
export class XeroEmulator {
  readonly invoices = new Map<string, Json>();
  readonly payments = new Map<string, Json>();
  readonly creditNotes = new Map<string, Json>();
  readonly idempotency = new IdempotentResponses();

  constructor(private readonly secrets: SecretSource) {}

  router(): Router {
    const router = Router();
    router.use((req, res, next) => {
      if (!bearerMatches(req.headers.authorization, this.secrets('xeroToken')))
        return res
          .status(401)
          .json({ Title: 'Unauthorized', Status: 401, Detail: 'AuthenticationUnsuccessful' });
      if (!req.headers['xero-tenant-id'])
        return validationError(res, 403, 'xero-tenant-id header is required');
      next();
    });
    router.put('/api.xro/2.0/Invoices', (req, res) => this.create(req, res, 'Invoices'));
    router.get('/api.xro/2.0/Invoices/:id', (req, res) => {
      const invoice = this.invoices.get(req.params.id);
      if (!invoice) return validationError(res, 404, `Invoice ${req.params.id} could not be found`);
      res.json({ Id: randomUUID(), Status: 'OK', Invoices: [invoice] });
    });
    router.put('/api.xro/2.0/Payments', (req, res) => this.create(req, res, 'Payments'));
    router.put('/api.xro/2.0/CreditNotes', (req, res) => this.create(req, res, 'CreditNotes'));
    return router;
  }

  private create(req: Request, res: Response, collection: 'Invoices' | 'Payments' | 'CreditNotes'): void {
    const header = req.headers['idempotency-key'];
    const key = typeof header === 'string' ? `${collection}:${header}` : undefined;
    const replay = this.idempotency.replay(key);
    if (replay) return void res.status(replay.status).json(replay.body);
    const items = ((req.body ?? {}) as Json)[collection] as Json[] | undefined;
    if (!items?.length) return validationError(res, 400, `${collection} is required`);
    const created: Json[] = [];
    for (const item of items) {
      if (collection === 'CreditNotes') {
        if (item.Type !== 'ACCRECCREDIT' && item.Type !== 'ACCPAYCREDIT')
          return validationError(res, 400, 'Type must be ACCRECCREDIT or ACCPAYCREDIT');
        const lines = (item.LineItems as Json[] | undefined) ?? [];
        const subTotal = lines.reduce(
          (sum, l) => sum + Number(l.Quantity ?? 1) * Number(l.UnitAmount ?? 0),
          0,
        );
        const totalTax = lines.reduce((sum, l) => sum + Number(l.TaxAmount ?? 0), 0);
        const total = Math.round((subTotal + totalTax) * 100) / 100;
        if (total < 0) return validationError(res, 400, 'A credit note total cannot be negative');
        const note = {
          ...item,
          CreditNoteID: randomUUID(),
          SubTotal: subTotal,
          TotalTax: totalTax,
          Total: total,
        };
        this.creditNotes.set(note.CreditNoteID, note);
        created.push(note);
      } else if (collection === 'Invoices') {
        const lines = (item.LineItems as Json[] | undefined) ?? [];
        const subTotal = lines.reduce(
          (sum, l) => sum + Number(l.Quantity ?? 1) * Number(l.UnitAmount ?? 0),
          0,
        );
        const totalTax = lines.reduce((sum, l) => sum + Number(l.TaxAmount ?? 0), 0);
        const invoice = {
          ...item,
          InvoiceID: randomUUID(),
          InvoiceNumber: `INV-${String(this.invoices.size + 1).padStart(4, '0')}`,
          SubTotal: subTotal,
          TotalTax: totalTax,
          Total: Math.round((subTotal + totalTax) * 100) / 100,
          AmountDue: Math.round((subTotal + totalTax) * 100) / 100,
        };
        this.invoices.set(invoice.InvoiceID, invoice);
        created.push(invoice);
      } else {
        const invoiceId = (item.Invoice as Json | undefined)?.InvoiceID;
        const invoice = this.invoices.get(String(invoiceId));
        if (!invoice) return validationError(res, 400, `Invoice ${String(invoiceId)} could not be found`);
        if (Number(item.Amount ?? 0) > Number(invoice.AmountDue) + 0.001)
          return validationError(res, 400, 'Payment amount exceeds the amount outstanding on this document');
        invoice.AmountDue = Math.round((Number(invoice.AmountDue) - Number(item.Amount ?? 0)) * 100) / 100;
        const payment = { ...item, PaymentID: randomUUID(), Status: 'AUTHORISED' };
        this.payments.set(payment.PaymentID, payment);
        created.push(payment);
      }
    }
    const response = {
      Id: randomUUID(),
      Status: 'OK',
      DateTimeUTC: new Date().toISOString(),
      [collection]: created,
    };
    this.idempotency.remember(key, 200, response);
    res.json(response);
  }
}

import axios from 'axios';
import { Client, Connection } from '@temporalio/client';
import type { LoadRecord } from './load';

/** One line of the verdict: what was checked, what was counted, and whether it holds. */
export interface Finding {
  check: string;
  ok: boolean;
  detail: string;
}

const http = axios.create({ validateStatus: () => true, timeout: 30_000 });

/** How many of each key occur, and which occur other than once. */
export function notOnce(keys: string[], expected: string[]): string[] {
  const counts = new Map<string, number>();
  for (const key of keys) counts.set(key, (counts.get(key) ?? 0) + 1);
  return expected.filter((key) => counts.get(key) !== 1).map((key) => `${key}×${counts.get(key) ?? 0}`);
}

const finding = (check: string, wrong: string[], counted: string): Finding => ({
  check,
  ok: wrong.length === 0,
  detail:
    wrong.length === 0
      ? counted
      : `${counted}; wrong: ${wrong.slice(0, 8).join(', ')}${wrong.length > 8 ? ` (+${wrong.length - 8})` : ''}`,
});

/**
 * Counts on the partners' side what the load's processes did, and asks Temporal whether any
 * failed or still retries. Waits up to `settleMs` for work in flight (deliveries, refunds,
 * channel pushes) to finish before it judges.
 */
export async function judge(options: {
  record: LoadRecord;
  frontUrl: string;
  sandboxUrl: string;
  temporalAddress: string;
  env: NodeJS.ProcessEnv;
  quickbooksRealm: string;
  xeroTenant: string;
  settleMs: number;
}): Promise<Finding[]> {
  const { record, frontUrl, sandboxUrl } = options;
  const acme = { Authorization: `Bearer ${options.env.CROSSDOCK_API_KEY_ACME}` };
  const alpine = { Authorization: `Bearer ${options.env.CROSSDOCK_API_KEY_ALPINE}` };
  const deadline = Date.now() + options.settleMs;
  const settle = async <T>(read: () => Promise<T>, done: (value: T) => boolean): Promise<T> => {
    for (;;) {
      const value = await read();
      if (done(value) || Date.now() > deadline) return value;
      await new Promise((resolve) => setTimeout(resolve, 2_000));
    }
  };
  const findings: Finding[] = [];

  // Orders: delivered, or rejected with a reason.
  type OrderView = {
    id: string;
    status: string;
    labels?: Array<{ trackingCode: string }>;
    timeline: Array<{ note?: string }>;
  };
  const orders = await settle(
    async () => {
      const views: OrderView[] = [];
      for (const id of record.orderIds) {
        const view = await http.get<OrderView>(`${frontUrl}/v1/orders/${id}`, { headers: acme });
        views.push(view.status === 200 ? view.data : { id, status: `HTTP ${view.status}`, timeline: [] });
      }
      return views;
    },
    (views) => views.every((v) => v.status === 'delivered' || v.status === 'rejected'),
  );
  const delivered = orders.filter((o) => o.status === 'delivered');
  findings.push(
    finding(
      'every order is delivered, or rejected with a reason',
      orders
        .filter((o) => !(o.status === 'delivered' || (o.status === 'rejected' && o.timeline.at(-1)?.note)))
        .map((o) => `${o.id} ${o.status}`),
      `${delivered.length} delivered, ${orders.length - delivered.length} other, of ${orders.length}`,
    ),
  );
  findings.push(
    finding(
      'each delivered order has one label',
      delivered.filter((o) => o.labels?.length !== 1).map((o) => `${o.id} ${o.labels?.length ?? 0} labels`),
      `${delivered.length} orders`,
    ),
  );
  const stats = (await http.get(`${sandboxUrl}/__sandbox/stats`)).data as {
    easypost: { purchased: number; returnLabels: number };
    'easypost-b': { purchased: number; returnLabels: number };
    locks: { keys: number; active: number };
  };
  const outbound = ['easypost', 'easypost-b'] as const;
  const bought = outbound.reduce((n, c) => n + stats[c].purchased - stats[c].returnLabels, 0);
  const codes = new Set(delivered.flatMap((o) => o.labels?.map((l) => l.trackingCode) ?? []));
  findings.push(
    finding(
      'the carriers sold one label per delivered order, none more',
      bought === delivered.length && codes.size === delivered.length
        ? []
        : [`${bought} bought, ${codes.size} distinct`],
      `${bought} outbound labels at the carriers`,
    ),
  );

  // Books: one invoice and one payment per delivered order (QuickBooks for acme).
  type Books = {
    invoices: Array<{ PrivateNote?: string }>;
    payments: Array<{ PrivateNote?: string }>;
    creditMemos: Array<{ PrivateNote?: string }>;
  };
  const books = (
    await http.get<Books>(`${sandboxUrl}/__sandbox/quickbooks/companies/${options.quickbooksRealm}`)
  ).data;
  const workflowIds = delivered.map((o) => `order:acme:${o.id}`);
  // Invoices and payments name the order's workflow id (a folio's or a credit's name another).
  for (const [documents, name] of [
    [books.invoices, 'invoice'],
    [books.payments, 'payment'],
  ] as const) {
    const notes = documents.map((d) => d.PrivateNote ?? '');
    findings.push(
      finding(
        `each delivered order has one ${name}`,
        notOnce(
          notes.filter((n) => n.startsWith('order:')),
          workflowIds,
        ),
        `${notes.length} ${name}s`,
      ),
    );
  }

  // Returns: each refunded once on Shopify and credited once in the books.
  type ReturnView = { id: string; orderId: string; status: string };
  const returns = await settle(
    async () =>
      Promise.all(
        record.returnIds.map(
          async (id) => (await http.get<ReturnView>(`${frontUrl}/v1/returns/${id}`, { headers: acme })).data,
        ),
      ),
    (views) => views.every((v) => v.status === 'refunded'),
  );
  findings.push(
    finding(
      'each return is refunded',
      returns.filter((r) => r.status !== 'refunded').map((r) => `${r.id} ${r.status}`),
      `${returns.length} returns`,
    ),
  );
  const refunds = await Promise.all(
    returns.map(async (r) => {
      const order = (
        await http.get<{ refunds?: unknown[] }>(
          `${sandboxUrl}/__sandbox/shopify/orders/${r.orderId.replace('shopify:', '')}`,
        )
      ).data;
      return order.refunds?.length === 1 ? undefined : `${r.orderId} ${order.refunds?.length ?? 0} refunds`;
    }),
  );
  findings.push(
    finding(
      'each refunded return has one Shopify refund',
      refunds.filter((r): r is string => Boolean(r)),
      `${returns.length} orders`,
    ),
  );
  const credited = (
    await http.get<Books>(`${sandboxUrl}/__sandbox/quickbooks/companies/${options.quickbooksRealm}`)
  ).data.creditMemos.map((m) => (m.PrivateNote ?? '').replace(/ \(order .*\)$/, ''));
  findings.push(
    finding(
      'each refunded return has one credit memo',
      notOnce(
        credited.map((c) => c.split(':').at(-1)!),
        returns.map((r) => r.id.split(':').at(-1)!),
      ),
      `${credited.length} credit memos`,
    ),
  );

  // Bookings: every one taken holds its night (confirmed), every stay ended checked out.
  type StayView = { id: string; status: string };
  const stayViews = await Promise.all(
    record.reservationIds.map(
      async (id) =>
        (
          await http.get<StayView>(`${frontUrl}/v1/reservations/${encodeURIComponent(id)}`, {
            headers: alpine,
          })
        ).data,
    ),
  );
  const checkedOut = new Set(record.stays.map((s) => s.id));
  findings.push(
    finding(
      'every booking is confirmed, every stay checked out',
      stayViews
        .filter((v) => v.status !== (checkedOut.has(v.id) ? 'checked_out' : 'confirmed'))
        .map((v) => `${v.id} ${v.status}`),
      `${stayViews.length} reservations, ${checkedOut.size} stays`,
    ),
  );

  // Stays: a key per check-in, revoked at check-out; the folio's invoice and payment once each.
  findings.push(
    finding(
      'each check-in issued one key, revoked at check-out',
      stats.locks.keys === record.stays.length && stats.locks.active === 0
        ? []
        : [`${stats.locks.keys} keys, ${stats.locks.active} active`],
      `${record.stays.length} stays`,
    ),
  );
  type XeroBooks = {
    invoices: Array<{ Reference?: string }>;
    payments: Array<{ Invoice?: { InvoiceID?: string }; Reference?: string }>;
  };
  const xero = await settle(
    async () =>
      (await http.get<XeroBooks>(`${sandboxUrl}/__sandbox/xero/organisations/${options.xeroTenant}`)).data,
    (b) => b.invoices.length >= record.stays.length && b.payments.length >= record.stays.length,
  );
  findings.push(
    finding(
      'each folio is invoiced and its payment posted once',
      xero.invoices.length === record.stays.length && xero.payments.length === record.stays.length
        ? []
        : [
            `${xero.invoices.length} invoices and ${xero.payments.length} payments for ${record.stays.length} folios`,
          ],
      `${xero.invoices.length} invoices, ${xero.payments.length} payments`,
    ),
  );

  // Every OTA ends at the hub's free rooms.
  type Day = { roomTypeId: string; date: string; available: number };
  const { from, to } = record.nights;
  const otaDrift = await settle(
    async () => {
      const hub = (
        await http.get<{ days: Day[] }>(
          `${frontUrl}/v1/properties/alpine-lodge/availability?from=${from}&to=${to}`,
          { headers: alpine },
        )
      ).data.days.filter((d) => d.roomTypeId === 'dbl');
      const drift: string[] = [];
      for (const [ota, code] of [
        ['ota-a', 'DOUBLE'],
        ['ota-b', 'DBL'],
        ['ota-c', 'dbl-room'],
      ] as const) {
        const shown = (
          await http.get<{ dates: Record<string, number | null> }>(
            `${sandboxUrl}/__sandbox/ota/${ota}/free-rooms?hotel=ALPINE-LODGE&code=${code}&from=${from}&to=${to}`,
          )
        ).data.dates;
        for (const day of hub)
          if (shown[day.date] !== day.available)
            drift.push(`${ota} ${day.date} shows ${shown[day.date]} not ${day.available}`);
      }
      return drift;
    },
    (drift) => drift.length === 0,
  );
  findings.push(
    finding("every OTA shows the hub's free rooms", otaDrift, `3 OTAs × the ${from}…${to} nights`),
  );

  // Every subscriber event arrived once.
  type Delivery = { headers: Record<string, string>; body: { type?: string; data?: { orderId?: string } } };
  const deliveredOrderOf = (d: Delivery) => `order:acme:${d.body.data?.orderId ?? ''}`;
  // A delivery a killed worker had claimed waits out its lease before another worker sends it.
  const inbox = await settle(
    async () => (await http.get<Delivery[]>(`${sandboxUrl}/__sandbox/inbox/acme-erp`)).data,
    (received) => {
      const announced = new Set(
        received.filter((d) => d.body.type === 'order.delivered').map(deliveredOrderOf),
      );
      return workflowIds.every((id) => announced.has(id));
    },
  );
  const eventIds = inbox.map((d) => d.headers['x-crossdock-event-id'] ?? '');
  findings.push(
    finding(
      'every subscriber event arrived once',
      notOnce(eventIds, [...new Set(eventIds)]),
      `${inbox.length} deliveries`,
    ),
  );
  const deliveredEvents = inbox.filter((d) => d.body.type === 'order.delivered').map(deliveredOrderOf);
  findings.push(
    finding(
      'each delivered order was announced delivered once',
      notOnce(deliveredEvents, workflowIds),
      `${deliveredEvents.length} order.delivered events`,
    ),
  );

  // Nothing failed, nothing is still retrying.
  const connection = await Connection.connect({ address: options.temporalAddress });
  try {
    const client = new Client({ connection });
    const failed: string[] = [];
    for await (const execution of client.workflow.list({
      query: 'ExecutionStatus = "Failed" OR ExecutionStatus = "TimedOut"',
    }))
      failed.push(`${execution.workflowId} ${execution.status.name}`);
    findings.push(finding('no workflow failed', failed, `${failed.length} failed`));
    // An activity may still be backing off from the last fault: it has until the deadline to finish.
    const retrying = await settle(
      async () => {
        const found: string[] = [];
        for await (const execution of client.workflow.list({ query: 'ExecutionStatus = "Running"' })) {
          const described = await client.workflow.getHandle(execution.workflowId, execution.runId).describe();
          for (const activity of described.raw.pendingActivities ?? [])
            if ((activity.attempt ?? 1) > 1)
              found.push(
                `${execution.workflowId} ${activity.activityType?.name} attempt ${activity.attempt}`,
              );
        }
        return found;
      },
      (found) => found.length === 0,
    );
    findings.push(
      finding('no workflow is still retrying', retrying, `${retrying.length} activities retrying`),
    );
  } finally {
    await connection.close();
  }
  return findings;
}

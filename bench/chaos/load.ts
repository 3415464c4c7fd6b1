import { randomBytes } from 'node:crypto';
import axios, { type AxiosResponse } from 'axios';
import { addDays, localDate } from '../../domain/stays/dates';
import { eventually, restOrder, shopifyOrderBody } from '../../tests/support/fixtures';

/** How much of each kind of work a chaos run drives. */
export interface LoadPlan {
  orders: number;
  /** Of the orders, this share comes as Shopify webhooks (the rest through the REST API). */
  shopifyShare: number;
  /** Returns of delivered Shopify orders, each received and refunded. */
  returns: number;
  reservations: number;
  /** Of the reservations, these arrive today and are checked in, paid and checked out. */
  stays: number;
  /** The orders and bookings are spread over this long, so the faults land in the middle of them. */
  spreadMs: number;
}

export const SKU = 'MUG-TI';
const LODGE = 'alpine-lodge';

/** What the load asked for, so the verdict can count what came of it. */
export interface LoadRecord {
  orderIds: string[];
  shopifyOrderIds: number[];
  returnIds: string[];
  reservationIds: string[];
  /** Reservations checked in and out, with the payment each took. */
  stays: Array<{ id: string; total: string }>;
  /** Nights the bookings touched, for comparing the OTAs' free rooms with the hub's. */
  nights: { from: string; to: string };
  /** Callers' requests that met an outage and were sent again, as a caller's retry policy does. */
  retried: number;
  stockCounts: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const uid = (prefix: string) => `${prefix}${randomBytes(5).toString('hex')}`;

/**
 * Drives the load through the front door as external systems would, each caller sending again
 * what met an outage (a connection refused, a 502 or 503, a timeout) with the same idempotency
 * key, for up to `patienceMs`.
 */
export class ChaosLoad {
  readonly record: LoadRecord;
  private readonly http = axios.create({ validateStatus: () => true, timeout: 30_000 });

  constructor(
    private readonly frontUrl: string,
    private readonly sandboxUrl: string,
    private readonly env: NodeJS.ProcessEnv,
    private readonly timeZone: string,
    private readonly log: (line: string) => void,
  ) {
    const today = localDate(Date.now(), timeZone);
    this.record = {
      orderIds: [],
      shopifyOrderIds: [],
      returnIds: [],
      reservationIds: [],
      stays: [],
      nights: { from: today, to: addDays(today, 31) },
      retried: 0,
      stockCounts: 0,
    };
  }

  private headers(tenant: 'ACME' | 'ALPINE') {
    return { Authorization: `Bearer ${this.env[`CROSSDOCK_API_KEY_${tenant}`]}` };
  }

  /** One caller's request, sent again on an outage until it is answered or patience runs out. */
  async call<T>(
    method: 'get' | 'post' | 'put',
    url: string,
    body?: unknown,
    headers: Record<string, string> = {},
    patienceMs = 180_000,
  ): Promise<AxiosResponse<T>> {
    const deadline = Date.now() + patienceMs;
    for (let attempt = 0; ; attempt++) {
      const response = await this.http
        .request<T>({ method, url, data: body, headers })
        .catch((error: Error) => ({ status: 0, data: error.message }) as unknown as AxiosResponse<T>);
      const outage =
        response.status === 0 ||
        response.status === 502 ||
        response.status === 503 ||
        response.status === 504;
      if (!outage || Date.now() > deadline) return response;
      if (attempt === 0) this.record.retried += 1;
      await sleep(Math.min(5_000, 250 * 2 ** attempt));
    }
  }

  private expect<T>(what: string, response: AxiosResponse<T>, statuses: number[]): AxiosResponse<T> {
    if (!statuses.includes(response.status))
      throw new Error(`${what} answered ${response.status}: ${JSON.stringify(response.data).slice(0, 400)}`);
    return response;
  }

  /** Before the load: stock to sell from, and carriers that scan parcels by themselves. */
  async prepare(): Promise<void> {
    await this.countStock(this.record.orderIds.length + 10_000);
    await this.http.put(`${this.sandboxUrl}/__sandbox/easypost/tracking`, {
      inTransitAfterMs: 1_500,
      deliveredAfterMs: 4_000,
    });
  }

  /** A stock count at both warehouses, as a warehouse system reports one. */
  async countStock(onHand: number): Promise<void> {
    for (const location of ['reno', 'newark']) {
      this.expect(
        'stock count',
        await this.call(
          'put',
          `${this.frontUrl}/v1/inventory/${SKU}/${location}`,
          { set: onHand, reason: 'cycle count' },
          this.headers('ACME'),
        ),
        [200],
      );
    }
    this.record.stockCounts += 1;
  }

  async restOrder(): Promise<void> {
    const externalId = uid('chaos-');
    this.record.orderIds.push(`rest:${externalId}`);
    this.expect(
      'an order',
      await this.call(
        'post',
        `${this.frontUrl}/v1/orders`,
        restOrder(externalId, [{ sku: SKU, quantity: 1 }]),
        this.headers('ACME'),
      ),
      [200, 202],
    );
  }

  async shopifyOrder(): Promise<void> {
    const created = await this.call<{ order: { id: number } }>(
      'post',
      `${this.sandboxUrl}/__sandbox/shopify/orders`,
      shopifyOrderBody(SKU, 1),
    );
    const id = this.expect('a store order', created, [200, 201]).data.order.id;
    this.record.shopifyOrderIds.push(id);
    this.record.orderIds.push(`shopify:${id}`);
    // Shopify retries a webhook that is not answered 2xx; the sandbox delivers once, so retry here.
    for (let attempt = 0; ; attempt++) {
      const sent = await this.http.post<{ deliveries: Array<{ status: number }> }>(
        `${this.sandboxUrl}/__sandbox/shopify/orders/${id}/webhooks`,
        { topic: 'orders/create', address: `${this.frontUrl}/webhooks/shopify/acme-shopify`, times: 1 },
      );
      if (sent.data.deliveries?.every((d) => d.status === 200)) return;
      if (attempt === 0) this.record.retried += 1;
      if (attempt > 60) throw new Error(`the orders/create webhook of ${id} was never taken`);
      await sleep(2_000);
    }
  }

  private booking(i: number, arrival: string) {
    return {
      channel: 'rest',
      externalId: uid(`chaos${i}-`),
      propertyId: LODGE,
      roomTypeId: 'dbl',
      ratePlanId: 'dbl-flex',
      arrival,
      departure: addDays(arrival, 1),
      guests: { adults: 2 },
      guest: { name: `Guest ${i}` },
      guarantee: { kind: 'card' },
    };
  }

  /** A booking through the API (or, every other one, pushed by an OTA), some nights ahead. */
  async reservation(i: number): Promise<void> {
    const arrival = addDays(this.record.nights.from, 1 + (i % 30));
    if (i % 2 === 1) return this.otaPush(i, arrival);
    const response = await this.call<{ id: string }>(
      'post',
      `${this.frontUrl}/v1/reservations`,
      this.booking(i, arrival),
      this.headers('ALPINE'),
    );
    this.record.reservationIds.push(this.expect('a booking', response, [200, 201]).data.id);
  }

  private async otaPush(i: number, arrival: string): Promise<void> {
    const otaId = uid('C');
    const message = {
      hotelCode: 'ALPINE-LODGE',
      reservations: [
        {
          id: otaId,
          status: 'Reserved',
          createdAt: new Date().toISOString(),
          roomTypeCode: 'DOUBLE',
          ratePlanCode: 'FLEX',
          arrival,
          departure: addDays(arrival, 1),
          adults: 2,
          guest: { givenName: 'Otto', surname: `Gast${i}`, email: 'otto@example.com' },
          guaranteed: true,
        },
      ],
    };
    for (let attempt = 0; ; attempt++) {
      const pushed = await this.http.post<{ status: number; body: string }>(
        `${this.sandboxUrl}/__sandbox/ota/ota-a/push`,
        {
          deliverTo: `${this.frontUrl}/alpinebits/alpine-ota-a`,
          message,
        },
      );
      if (pushed.data.status === 200 && !pushed.data.body.includes('<Warning')) break;
      if (pushed.data.status === 200 || (pushed.data.status >= 400 && pushed.data.status < 500))
        throw new Error(`OTA push ${otaId} refused: ${pushed.data.body.slice(0, 400)}`);
      if (attempt === 0) this.record.retried += 1;
      if (attempt > 60) throw new Error(`OTA push ${otaId} was never taken`);
      await sleep(2_000);
    }
    this.record.reservationIds.push(`ota:alpine-ota-a.${otaId}`);
  }

  /** A stay of tonight: booked, checked in (a key), paid and checked out (the key revoked, the books). */
  async stay(i: number): Promise<void> {
    const booked = await this.call<{ id: string; totals: { total: string } }>(
      'post',
      `${this.frontUrl}/v1/reservations`,
      this.booking(1_000 + i, this.record.nights.from),
      this.headers('ALPINE'),
    );
    const { id, totals } = this.expect('a stay', booked, [200, 201]).data;
    this.record.reservationIds.push(id);
    // An action whose answer was lost may have been done: a 409 then means it is done already.
    const act = async (action: string, payload: Record<string, unknown>, done: string[]) => {
      const response = await this.call<{ status: string }>(
        'post',
        `${this.frontUrl}/v1/reservations/${id}/${action}`,
        payload,
        this.headers('ALPINE'),
      );
      if (response.status === 200) return;
      const view = await this.call<{ status: string }>(
        'get',
        `${this.frontUrl}/v1/reservations/${id}`,
        undefined,
        this.headers('ALPINE'),
      );
      if (response.status === 409 && done.includes(view.data.status)) return;
      this.expect(`${action} of ${id}`, response, [200]);
    };
    await act('check-in', {}, ['in_house', 'checked_out']);
    await act('payments', { amount: totals.total, method: 'card', reference: `pay-${id}` }, []);
    await act('check-out', {}, ['checked_out']);
    this.record.stays.push({ id, total: totals.total });
  }

  /** A return of a delivered store order: requested, its label scanned, received, refunded. */
  async returnOf(shopifyOrderId: number): Promise<void> {
    const orderId = `shopify:${shopifyOrderId}`;
    const requested = await this.call<{ id: string }>(
      'post',
      `${this.frontUrl}/v1/orders/${orderId}/returns`,
      { reference: `ticket-${shopifyOrderId}`, lines: [{ sku: SKU, quantity: 1, reason: 'chipped' }] },
      this.headers('ACME'),
    );
    const id = this.expect(`a return of ${orderId}`, requested, [200, 201]).data.id;
    this.record.returnIds.push(id);
    await this.until(`the return label of ${id}`, async () => {
      const view = await this.call<{ label?: unknown }>(
        'get',
        `${this.frontUrl}/v1/returns/${id}`,
        undefined,
        this.headers('ACME'),
      );
      return view.status === 200 && view.data.label ? true : undefined;
    });
    const received = await this.call<{ status: string }>(
      'post',
      `${this.frontUrl}/v1/returns/${id}/receive`,
      { lines: [{ sku: SKU, quantity: 1, condition: 'sellable' }] },
      this.headers('ACME'),
    );
    if (received.status !== 200) {
      // Received already, its answer lost: the return has moved past receipt.
      const view = await this.call<{ status: string }>(
        'get',
        `${this.frontUrl}/v1/returns/${id}`,
        undefined,
        this.headers('ACME'),
      );
      if (!['received', 'refunded', 'closed'].includes(view.data.status))
        this.expect(`receipt of ${id}`, received, [200]);
    }
  }

  async orderStatus(id: string): Promise<string | undefined> {
    const view = await this.call<{ status: string }>(
      'get',
      `${this.frontUrl}/v1/orders/${id}`,
      undefined,
      this.headers('ACME'),
    );
    return view.status === 200 ? view.data.status : undefined;
  }

  /** Waits as a caller polling the hub does: once a second, five minutes unless told. */
  until<T>(what: string, check: () => Promise<T | undefined>, timeoutMs = 300_000): Promise<T> {
    return eventually(what, check, timeoutMs, 1_000);
  }

  /**
   * The whole load: orders and bookings spread over `spreadMs`, stays and returns beside them,
   * stock counted now and then. Resolves when every request was answered and every return taken.
   */
  async run(plan: LoadPlan): Promise<void> {
    const started = Date.now();
    const at = (fraction: number) => sleep(Math.max(0, started + fraction * plan.spreadMs - Date.now()));
    const jobs: Array<Promise<void>> = [];
    const shopifyEvery = Math.max(1, Math.round(1 / plan.shopifyShare));
    const bookings = plan.reservations - plan.stays;
    let booked = 0;
    for (let i = 0; i < plan.orders; i++) {
      await at(i / plan.orders);
      jobs.push(i % shopifyEvery === 0 ? this.shopifyOrder() : this.restOrder());
      if (i % 50 === 49) jobs.push(this.countStock(plan.orders + 10_000));
      while (booked < bookings && booked * plan.orders <= i * bookings) jobs.push(this.reservation(booked++));
    }
    while (booked < bookings) jobs.push(this.reservation(booked++));
    // Stays one after another (each takes a room tonight); returns once store orders are delivered.
    const stays = (async () => {
      for (let i = 0; i < plan.stays; i++) await this.stay(i);
    })();
    const returns = (async () => {
      const done = new Set<number>();
      await this.until(
        'store orders to return',
        async () => {
          for (const id of this.record.shopifyOrderIds) {
            if (done.size >= plan.returns) return true;
            if (done.has(id)) continue;
            if ((await this.orderStatus(`shopify:${id}`)) === 'delivered') {
              done.add(id);
              await this.returnOf(id);
            }
          }
          return done.size >= plan.returns ? true : undefined;
        },
        600_000,
      );
    })();
    const results = await Promise.allSettled([...jobs, stays, returns]);
    const failed = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed.length) {
      for (const f of failed.slice(0, 5)) this.log(`load: ${String(f.reason)}`);
      throw new Error(`${failed.length} load steps failed`);
    }
  }
}

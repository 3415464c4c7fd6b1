import { isInfrastructureUnavailable } from '../platform/infra/unavailable';
import { createHmac } from 'node:crypto';
import axios from 'axios';
import type { Sequelize } from 'sequelize';
import {
  claimDueDeliveries,
  expandEvents,
  markDelivered,
  markFailed,
  storedSubscriberId,
  type DeliveryRow,
  type EventRoute,
} from '../db/outbox';
import type { HubConfig, SubscriberConfig } from '../platform/config/schema';
import { readSecret } from '../platform/config/load';
import type { Logger } from '../platform/logger';

/** Retry schedule of a failing subscriber: 2 s doubling to an hour, given up after a day or so. */
export const MAX_DELIVERY_ATTEMPTS = 30;
export function retryDelaySeconds(attempts: number): number | undefined {
  if (attempts >= MAX_DELIVERY_ATTEMPTS) return undefined;
  return Math.min(3600, 2 ** Math.min(attempts + 1, 12));
}

/** `X-Crossdock-Signature: t=<unix>,v1=<hex HMAC-SHA256 of "<t>.<body>">`, as subscribers verify it. */
export function signPayload(secret: string, body: string, timestamp: number): string {
  return `t=${timestamp},v1=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/** How long a subscriber may take to answer before its delivery counts as failed (and is retried). */
const DELIVERY_TIMEOUT_MS = 10_000;

/**
 * How long a claimed delivery stays with the dispatcher that claimed it: three of its timeouts, so
 * a dispatcher that is alive has its answer (or gave up on it) well before, and one that died (a
 * worker killed in the middle of a batch) hands its deliveries on to the others that much later.
 */
export function deliveryLeaseSeconds(timeoutMs: number): number {
  return Math.ceil((3 * timeoutMs) / 1000);
}

/** Which subscriber of the config takes which events, as the outbox expands them. */
export function eventRoutes(config: HubConfig): EventRoute[] {
  return config.tenants.flatMap((tenant) =>
    tenant.subscribers.map((s) => ({
      id: storedSubscriberId(tenant.id, s.id),
      url: s.url,
      tenantId: tenant.id,
      events: s.events,
    })),
  );
}

/**
 * Sends the outbox to subscribers: each event once per subscriber, signed, retried with backoff
 * while the subscriber fails, given up (status `dead`, kept for ops) after MAX_DELIVERY_ATTEMPTS.
 * Any number of dispatchers may run; deliveries are claimed with a lease.
 */
export class EventDispatcher {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = false;
  private readonly subscribers = new Map<string, SubscriberConfig & { tenantId: string }>();
  /** Which subscriber takes which events, as the outbox expands them. */
  private readonly routes: EventRoute[];

  constructor(
    private readonly sequelize: Sequelize,
    config: HubConfig,
    private readonly logger: Logger,
    private readonly options: { intervalMs?: number; timeoutMs?: number } = {},
  ) {
    for (const tenant of config.tenants)
      for (const subscriber of tenant.subscribers)
        this.subscribers.set(storedSubscriberId(tenant.id, subscriber.id), {
          ...subscriber,
          tenantId: tenant.id,
        });
    this.routes = eventRoutes(config);
  }

  private get timeoutMs(): number {
    return this.options.timeoutMs ?? DELIVERY_TIMEOUT_MS;
  }

  start(): void {
    const interval = this.options.intervalMs ?? 250;
    // While PostgreSQL is away the loop waits longer between tries and says so once, not per try.
    let outageSince: number | undefined;
    const tick = () => {
      if (this.stopped) return;
      this.running = this.runOnce()
        .then(() => {
          if (outageSince === undefined) return;
          this.logger.info({ downMs: Date.now() - outageSince }, 'event dispatch resumed');
          outageSince = undefined;
        })
        .catch((error: unknown) => {
          if (!isInfrastructureUnavailable(error))
            return this.logger.warn({ err: error }, 'event dispatch failed; retrying');
          if (outageSince !== undefined) return;
          outageSince = Date.now();
          this.logger.warn({ reason: (error as Error).message }, 'event dispatch waiting for the database');
        })
        .finally(() => {
          if (!this.stopped) this.timer = setTimeout(tick, outageSince === undefined ? interval : 5_000);
        });
    };
    tick();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }

  /** One pass: expand new events into deliveries, then attempt what is due. Returns attempts made. */
  async runOnce(): Promise<number> {
    await expandEvents(this.sequelize, this.routes);
    const due = await claimDueDeliveries(this.sequelize, 50, deliveryLeaseSeconds(this.timeoutMs));
    await Promise.all(due.map((row) => this.deliver(row)));
    return due.length;
  }

  private async deliver(row: DeliveryRow): Promise<void> {
    const subscriber = this.subscribers.get(row.subscriber_id);
    if (!subscriber) {
      await markFailed(this.sequelize, row, 'subscriber no longer configured', undefined);
      return;
    }
    const body = JSON.stringify(row.payload);
    try {
      const response = await axios.post(subscriber.url, body, {
        timeout: this.timeoutMs,
        validateStatus: () => true,
        // A subscriber answers at the address it gave: a redirect is a failed delivery, retried.
        maxRedirects: 0,
        headers: {
          'Content-Type': 'application/json',
          'User-Agent': 'crossdock-events/0.1',
          'X-Crossdock-Event-Id': row.payload.id,
          'X-Crossdock-Event-Type': row.payload.type,
          'X-Crossdock-Signature': signPayload(
            readSecret(subscriber.secret),
            body,
            Math.floor(Date.now() / 1000),
          ),
        },
      });
      if (response.status >= 200 && response.status < 300) return markDelivered(this.sequelize, row);
      await markFailed(this.sequelize, row, `HTTP ${response.status}`, retryDelaySeconds(row.attempts + 1));
    } catch (error) {
      await markFailed(this.sequelize, row, (error as Error).message, retryDelaySeconds(row.attempts + 1));
    }
  }
}

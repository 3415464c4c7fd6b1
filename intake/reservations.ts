import type { Client, WorkflowHandle } from '@temporalio/client';
import { stayDetails, staySummary } from '../domain/stays/describe';
import {
  dateAttribute,
  SA_ARRIVAL,
  SA_DEPARTURE,
  SA_STATUS,
  searchIdentity,
} from '../domain/search-attributes';
import {
  publicReservationId,
  RESERVATION_CHANNELS,
  type ReservationChannel,
  type ReservationView,
} from '../domain/stays/reservation';
import {
  reservationWorkflowId,
  getReservationQuery,
  reservationPlacedUpdate,
  type ReservationLifecycleInput,
  type ReservationLifecycleWorkflow,
} from '../workflows/stays/contract';
import type { ReservationRequest } from '../domain/stays/validation';
import type { HubConfig, TenantConfig } from '../platform/config/schema';
import { settledView, startSettled } from './start-once';

/**
 * The one door every booking comes through (REST, booking engine, and OTA deliveries later):
 * the workflow id is derived from tenant, channel and the channel's id, so a booking delivered
 * twice is one reservation, and the caller hears whether its nights were held.
 */
export class ReservationIntake {
  constructor(
    private readonly client: Client,
    private readonly config: HubConfig,
  ) {}

  async book(
    tenant: TenantConfig,
    request: ReservationRequest,
    /** What the channel's connection decides beyond the tenant's policy (an OTA's overbooking). */
    channelPolicy: { acceptOverbooking?: boolean } = {},
  ): Promise<{ view: ReservationView; duplicate: boolean }> {
    const workflowId = reservationWorkflowId(tenant.id, request.channel, request.externalId);
    const { channel, externalId, guarantee, ...stay } = request;
    const input: ReservationLifecycleInput = {
      tenantId: tenant.id,
      channel,
      externalId,
      stay: {
        propertyId: stay.propertyId,
        roomTypeId: stay.roomTypeId,
        ratePlanId: stay.ratePlanId,
        arrival: stay.arrival,
        departure: stay.departure,
        guests: stay.guests,
        guest: stay.guest,
      },
      ...(guarantee ? { guarantee } : {}),
      policy: {
        holdMinutes: tenant.stays.holdMinutes,
        lockConnectorId: tenant.stays.lock,
        accountingConnectorId: tenant.stays.accounting,
        settlementDays: tenant.stays.settlementDays,
        ...channelPolicy,
      },
      receivedAt: new Date().toISOString(),
    };
    const facts = { id: publicReservationId(channel, externalId), tenantId: tenant.id, stay };
    const { view, started } = await startSettled<ReservationLifecycleWorkflow, ReservationView>(
      this.client,
      'reservationLifecycle',
      {
        workflowId,
        taskQueue: this.config.temporal.orchestrationTaskQueue,
        args: [input],
        staticSummary: staySummary(facts),
        staticDetails: stayDetails(facts),
        typedSearchAttributes: [
          ...searchIdentity('reservation', {
            tenantId: tenant.id,
            channel,
            id: facts.id,
            propertyId: stay.propertyId,
          }),
          { key: SA_STATUS, value: 'held' },
          { key: SA_ARRIVAL, value: dateAttribute(stay.arrival) },
          { key: SA_DEPARTURE, value: dateAttribute(stay.departure) },
        ],
      },
      reservationPlacedUpdate,
      getReservationQuery,
    );
    return { view: view!, duplicate: !started };
  }

  handle(tenantId: string, publicId: string): WorkflowHandle | undefined {
    const separator = publicId.indexOf(':');
    const channel = publicId.slice(0, separator) as ReservationChannel;
    if (separator < 0 || !RESERVATION_CHANNELS.includes(channel)) return undefined;
    return this.client.workflow.getHandle(
      reservationWorkflowId(tenantId, channel, publicId.slice(separator + 1)),
    );
  }

  /** The reservation once its nights are held or refused; a closed one answers its final state. */
  placed(handle: WorkflowHandle): Promise<ReservationView | undefined> {
    return settledView(handle, reservationPlacedUpdate, getReservationQuery);
  }
}

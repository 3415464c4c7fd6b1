import { ApplicationFailure } from '@temporalio/common';
import { GUEST_REQUESTS_PULL } from '../../connectors/ota/alpinebits/handshake';
import type { ConnectorRegistry } from '../../connectors/registry';
import type { OtaReservationIntake } from '../../intake/ota';

export interface ReservationPull {
  /** Reservations the channel delivered (new, modified, cancelled). */
  pulled: number;
  taken: number;
  /** Not taken (unmapped, enquiry, several rooms, no longer fitting under `refuse`): named to the channel. */
  refused: Array<{ id: string; reason: string }>;
}

/**
 * A pull channel's reservations: `OTA_Read:GuestRequests` asks for those not yet acknowledged,
 * each goes through the same intake as a pushed one, and `OTA_NotifReport:GuestRequests` tells
 * the channel what was taken and what refused, so it stops offering them. A retry after a failed
 * acknowledgement reads the same reservations again, and the intake makes each the same
 * reservation: at least once in, exactly once in effect.
 */
export function createReservationPullActivities(deps: {
  connectors: ConnectorRegistry;
  otaIntake?: OtaReservationIntake;
}) {
  return {
    async pullOtaReservations(request: { tenantId: string; connectorId: string }): Promise<ReservationPull> {
      const intake = deps.otaIntake;
      if (!intake) throw new Error('reservation pulls need a Temporal client');
      const channel = deps.connectors.ota(request.connectorId);
      const tenant = deps.connectors.config.tenants.find((t) => t.id === request.tenantId);
      if (!tenant)
        throw ApplicationFailure.nonRetryable(`unknown tenant ${request.tenantId}`, 'UnknownTenant');
      // Pulled only from an OTA that declared GuestRequests (OTA_Read) in the handshake.
      if (!(await channel.supports(GUEST_REQUESTS_PULL)))
        throw ApplicationFailure.nonRetryable(
          `${request.connectorId} did not declare GuestRequests pulls (action_OTA_Read) in its handshake`,
          'ChannelCapability',
        );
      const read = await channel.readReservations();
      if (!read.outcome.success)
        throw ApplicationFailure.nonRetryable(
          `${request.connectorId} refused the pull: ${read.outcome.errors.map((e) => e.text).join('; ')}`,
          'ChannelRefused',
        );
      const result: ReservationPull = { pulled: read.reservations.length, taken: 0, refused: [] };
      if (read.reservations.length === 0) return result;
      const results = [];
      for (const reservation of read.reservations) {
        const taken = await intake.take(tenant, channel, reservation);
        results.push(taken);
        if (taken.refusal) result.refused.push({ id: taken.id, reason: taken.refusal });
        else result.taken += 1;
      }
      const acknowledged = await channel.acknowledge(results);
      if (!acknowledged.success)
        throw ApplicationFailure.nonRetryable(
          `${request.connectorId} refused the acknowledgement: ${acknowledged.errors.map((e) => e.text).join('; ')}`,
          'ChannelRefused',
        );
      return result;
    },
  };
}

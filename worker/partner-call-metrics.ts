import { ApplicationFailure, CancelledFailure } from '@temporalio/common';
import type { ActivityInterceptorsFactory } from '@temporalio/worker';
import { partnerCalls, partnerDuration, type PartnerCallOutcome } from '../platform/metrics';

/** How an attempt ended: a non-retryable failure is the partner's (or a rule's) refusal. */
function outcomeOf(error: unknown): PartnerCallOutcome {
  if (error instanceof CancelledFailure) return 'cancelled';
  if (error instanceof ApplicationFailure && error.nonRetryable) return 'rejected';
  return 'failed';
}

/**
 * Counts and times every attempt of a connector's activities, labelled with the connector (one
 * worker per connector) and the operation (the activity's name).
 */
export function partnerCallMetrics(connectorId: string): ActivityInterceptorsFactory {
  return (ctx) => ({
    inbound: {
      async execute(input, next) {
        const labels = { connector: connectorId, operation: ctx.info.activityType };
        const stop = partnerDuration.startTimer(labels);
        try {
          const result = await next(input);
          partnerCalls.inc({ ...labels, outcome: 'ok' });
          return result;
        } catch (error) {
          partnerCalls.inc({ ...labels, outcome: outcomeOf(error) });
          throw error;
        } finally {
          stop();
        }
      },
    },
  });
}

import { getExternalWorkflowHandle, log } from '@temporalio/workflow';
import { auditSteps } from '../shared/activities';
import { nightAuditSignal, type NightAuditInput, type NightAuditResult } from './contract';

const stays = auditSteps;

/**
 * A property's night audit (a Temporal Schedule per property, at local end of day): every party
 * in house is charged the night, every confirmed arrival that never came becomes a no-show, and
 * the property moves to its next business date, with a stay-over task for each room whose party
 * stays on. Each reservation applies the audit itself, so an audit run twice charges nothing twice.
 */
export async function nightAudit(input: NightAuditInput): Promise<NightAuditResult> {
  const targets = await stays.auditTargets({ ...input, now: new Date().toISOString() });
  // Today was closed already (an audit run by hand before the scheduled one): never close two days in one.
  if (targets.begun === false)
    return { businessDate: targets.businessDate, inHouse: 0, expected: 0, skipped: true };
  const signals = [...targets.inHouse, ...targets.expected].map((reservationKey) =>
    getExternalWorkflowHandle(reservationKey).signal(nightAuditSignal, {
      businessDate: targets.businessDate,
    }),
  );
  const results = await Promise.allSettled(signals);
  // A reservation that closed meanwhile has nothing left to audit.
  const missed = results.filter((r) => r.status === 'rejected').length;
  if (missed > 0) log.info('reservations closed before the audit reached them', { missed });
  await stays.rollBusinessDate({ ...input, closed: targets.businessDate });
  return {
    businessDate: targets.businessDate,
    inHouse: targets.inHouse.length,
    expected: targets.expected.length,
  };
}

import { nightAuditSummary } from '../domain/stays/describe';
import type { Client } from '@temporalio/client';
import type { Sequelize } from 'sequelize';
import { businessDateOf } from '../db/stays/night-audit';
import type { HubConfig } from '../platform/config/schema';
import {
  nightAuditWorkflowId,
  type NightAuditInput,
  type NightAuditResult,
  type NightAuditWorkflow,
} from '../workflows/stays/contract';
import { startOnce } from './start-once';

/**
 * Runs a property's night audit now (ops closing the day by hand, or catching up): one run per
 * business date, so asking twice joins the same run. The scheduled audit that follows finds the
 * next business date not begun yet and closes nothing.
 */
export async function runNightAudit(
  client: Client,
  config: HubConfig,
  sequelize: Sequelize,
  ref: { tenantId: string; propertyId: string },
): Promise<NightAuditResult> {
  const { businessDate } = await businessDateOf(
    sequelize,
    ref.tenantId,
    ref.propertyId,
    new Date().toISOString(),
  );
  const workflowId = nightAuditWorkflowId(ref.tenantId, ref.propertyId, businessDate);
  const args: [NightAuditInput] = [ref];
  await startOnce<NightAuditWorkflow>(client, 'nightAudit', {
    workflowId,
    taskQueue: config.temporal.orchestrationTaskQueue,
    args,
    staticSummary: `${nightAuditSummary({ tenantId: ref.tenantId, id: ref.propertyId })} · ${businessDate} (on demand)`,
  });
  return client.workflow.getHandle<NightAuditWorkflow>(workflowId).result();
}

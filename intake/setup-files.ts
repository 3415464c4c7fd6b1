import { describeChange } from '../domain/master-data/plan';
import type { SetupPlan } from '../db/master-data/service';
import { ConfigError } from '../platform/config/load';
import { loadSetupFile, setupFilesOf } from '../platform/config/setup-files';
import type { Logger } from '../platform/logger';
import type { HubServices } from '../platform/services';

/** Counts of a plan's changes by action, and the opening stock it sets. */
export function summarise(plan: SetupPlan): Record<string, number> {
  const counts: Record<string, number> = { create: 0, change: 0, restore: 0, retire: 0 };
  for (const change of plan.changes) counts[change.action] = (counts[change.action] ?? 0) + 1;
  return { ...counts, openingStock: plan.openingStock.length };
}

/** A plan as `npm run setup -- plan` prints it: one line per change, then the counts. */
export function describePlan(plan: SetupPlan, options: { limit?: number } = {}): string {
  const limit = options.limit ?? 200;
  const lines = plan.changes.slice(0, limit).map(describeChange);
  if (plan.changes.length > limit) lines.push(`  … and ${plan.changes.length - limit} more changes`);
  for (const stock of plan.openingStock.slice(0, Math.max(0, limit - lines.length)))
    lines.push(`+ stock   ${stock.sku} @ ${stock.locationId}: ${stock.onHand} on hand (opening)`);
  const counts = summarise(plan);
  lines.push(
    `${plan.tenantId}: ${counts.create} to create, ${counts.change} to change, ${counts.restore} to restore, ` +
      `${counts.retire} to retire, ${counts.openingStock} opening stock level(s)` +
      (plan.changes.length + plan.openingStock.length === 0 ? ' (nothing to do)' : ''),
  );
  return lines.join('\n');
}

/**
 * Applies every tenant's setup file (or those named), each in one transaction, before the hub
 * serves: a file that cannot be applied stops start-up with its reasons.
 */
export async function applySetupFiles(
  services: HubServices,
  configPath: string,
  logger: Logger,
  tenants?: string[],
): Promise<SetupPlan[]> {
  const plans: SetupPlan[] = [];
  for (const { tenantId, path } of setupFilesOf(services.config, configPath)) {
    if (tenants && !tenants.includes(tenantId)) continue;
    const plan = await services.masterData.apply(loadSetupFile(path, tenantId));
    const counts = summarise(plan);
    if (plan.changes.length + plan.openingStock.length > 0)
      logger.info({ tenantId, ...counts }, 'setup file applied');
    plans.push(plan);
  }
  return plans;
}

/** Every OTA connection's room types and rate plans must name what its property sells. */
export async function assertChannelMappings(services: HubServices, tenants?: string[]): Promise<void> {
  const problems: string[] = [];
  for (const tenant of services.config.tenants.filter((t) => !tenants || tenants.includes(t.id)))
    for (const issue of await services.masterData.mappingIssues(tenant.id))
      problems.push(`${issue.path}: ${issue.message}`);
  if (problems.length) throw new ConfigError('the connectors of the config', problems);
}

import { factList, uiTime } from '../shared/describe';

/** A channel connection as its sync names it: whose, which partner, and what it carries. */
export interface ChannelFacts {
  tenantId: string;
  connectorId: string;
  /** Absent: an OTA (the connections that came first). */
  kind?: 'ota' | 'stock';
}

/** What a sync has done so far, as its Query shows it. */
export interface ChannelSyncProgress {
  pushes: number;
  lastPushAt?: string;
  lastCompleteSetAt?: string;
  lastRefusal?: { at: string; message: string };
  setAside?: number;
}

function carries(kind: ChannelFacts['kind']): string {
  return kind === 'stock' ? 'stock levels' : 'free rooms, restrictions and rates';
}

/** One line: `Channel sync · acme · acme-shopify · stock levels`. */
export function channelSyncSummary({ tenantId, connectorId, kind }: ChannelFacts): string {
  return `Channel sync · ${tenantId} · ${connectorId} · ${carries(kind)}`;
}

export function channelSyncDetails({ tenantId, connectorId, kind }: ChannelFacts): string {
  return factList({
    Tenant: tenantId,
    Connector: connectorId,
    Carries: carries(kind),
    'Woken by': 'the hub listener on each change; polls every minute without one',
  });
}

/** What the sync waits for and what ops can do: the Temporal UI's current details. */
export function channelSyncCurrentDetails(facts: ChannelFacts, progress: ChannelSyncProgress): string {
  const { connectorId } = facts;
  const lines = [
    `Waiting for changes to send to ${connectorId}; ${progress.pushes} push${progress.pushes === 1 ? '' : 'es'} this run${progress.lastPushAt ? `, the last at ${uiTime(progress.lastPushAt)}` : ''}.`,
  ];
  if (progress.lastCompleteSetAt) lines.push(`Last complete set: ${uiTime(progress.lastCompleteSetAt)}.`);
  if (progress.setAside)
    lines.push(
      `**Needs attention**: ${progress.setAside} mapping${progress.setAside === 1 ? '' : 's'} set aside (the channel refused them); fix the mapping, then \`POST /v1/channels/${connectorId}/mappings/resolve\`.`,
    );
  if (progress.lastRefusal)
    lines.push(`Last refusal ${uiTime(progress.lastRefusal.at)}: ${progress.lastRefusal.message}`);
  return lines.join('\n\n');
}

/** One line for a catalogue import: whose store or till is read into master data. */
export function catalogueImportSummary({
  tenantId,
  connectorId,
}: {
  tenantId: string;
  connectorId: string;
}): string {
  return `Catalogue import · ${tenantId} · ${connectorId}: products, variants and locations read into master data`;
}

import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import { z } from 'zod';
import type {
  CatalogueImportReport,
  CatalogueImportRequest,
} from '../../domain/master-data/catalogue-import';

/** What a connection carries: an OTA's free rooms, restrictions and rates, or a store's stock. */
export type ChannelKind = 'ota' | 'stock';

export interface ChannelSyncInput {
  tenantId: string;
  connectorId: string;
  /** Absent: an OTA (the connections that came first). */
  kind?: ChannelKind;
  /** Carried over continue-as-new: a complete set was asked for and not yet sent (absent: a first run, which sends one). */
  resyncPending?: boolean;
}

const instant = z.iso.datetime({ offset: true });
/** A channel sync as its Query answers it (and the API shows it). */
export const channelSyncViewSchema = z.object({
  tenantId: z.string(),
  connectorId: z.string(),
  pushes: z.number().int(),
  ranges: z.number().int(),
  nights: z.number().int(),
  lastPushAt: instant.optional(),
  lastCompleteSetAt: instant.optional(),
  /** The last push that failed for good (the channel refused the message), for ops. */
  lastRefusal: z.object({ at: instant, message: z.string() }).optional(),
  /** The last warnings a channel answered a push with (it took the message), for ops. */
  lastWarnings: z.object({ at: instant, messages: z.array(z.string()) }).optional(),
  /** Mappings set aside for ops after the last push (room types or SKUs the channel refused). */
  setAside: z.number().int().optional(),
});
export type ChannelSyncView = z.infer<typeof channelSyncViewSchema>;
/** Nights changed on the calendar (sent by the hub's listener on the database's notifications). */
export const channelDirtySignal = defineSignal('channelDirty');
/** Send a complete set (the nightly schedule, or ops through the API). */
export const channelResyncSignal = defineSignal('channelResync');
export const getChannelSyncQuery = defineQuery<ChannelSyncView>('getChannelSync');
/** What ops' resolution of set-aside mappings did. */
export const mappingsResolvedSchema = z.object({
  resolved: z.number().int(),
  resync: z.literal('requested'),
});
export type MappingsResolved = z.infer<typeof mappingsResolvedSchema>;
/**
 * Ops fixed the mappings the channel refused: they go out again in a complete set. Refused with
 * the reason when nothing is set aside.
 */
export const resolveMappingsUpdate = defineUpdate<MappingsResolved>('resolveMappings');

/**
 * The channel processes as callers start them; the workflows conform (`workflows/conformance.ts`),
 * so a caller needs this contract, not the workflow's code.
 */
export type ChannelSyncWorkflow = (input: ChannelSyncInput) => Promise<void>;
export type CatalogueImportWorkflow = (request: CatalogueImportRequest) => Promise<CatalogueImportReport>;
/** One pull of an OTA connection's reservations (its schedule's arguments). */
export interface OtaReservationPullInput {
  tenantId: string;
  connectorId: string;
}

export function channelSyncWorkflowId(tenantId: string, connectorId: string): string {
  return `channel-sync:${tenantId}:${connectorId}`;
}

/** Where a catalogue import runs: one at a time per tenant and connection. */
export function catalogueImportWorkflowId(tenantId: string, connectorId: string): string {
  return `catalogue-import:${tenantId}:${connectorId}`;
}

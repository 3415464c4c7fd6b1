import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
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

export interface ChannelSyncView {
  tenantId: string;
  connectorId: string;
  pushes: number;
  ranges: number;
  nights: number;
  lastPushAt?: string;
  lastCompleteSetAt?: string;
  /** The last push that failed for good (the channel refused the message), for ops. */
  lastRefusal?: { at: string; message: string };
  /** The last warnings a channel answered a push with (it took the message), for ops. */
  lastWarnings?: { at: string; messages: string[] };
  /** Mappings set aside for ops after the last push (room types or SKUs the channel refused). */
  setAside?: number;
}

/** Nights changed on the calendar (sent by the hub's listener on the database's notifications). */
export const channelDirtySignal = defineSignal('channelDirty');
/** Send a complete set (the nightly schedule, or ops through the API). */
export const channelResyncSignal = defineSignal('channelResync');
export const getChannelSyncQuery = defineQuery<ChannelSyncView>('getChannelSync');
/** What ops' resolution of set-aside mappings did. */
export interface MappingsResolved {
  resolved: number;
  resync: 'requested';
}
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

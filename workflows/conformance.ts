/**
 * Compile-time proof that each workflow is what its contract says: callers (the intakes, the
 * schedules, the API) start workflows by their contract types, never by importing workflow code,
 * so no import cycle runs through workflows, activities and the intakes. Types only: nothing here
 * is bundled or run.
 */
import type { AccountingActivities, CarrierActivities, LockActivities, OtaActivities } from '../activities';
import type * as workflows from './index';
import type { CatalogueImportWorkflow, ChannelSyncWorkflow } from './channels/contract';
import type { OrderLifecycleWorkflow } from './orders/contract';
import type { ReturnLifecycleWorkflow } from './returns/contract';
import type { NightAuditWorkflow, ReservationLifecycleWorkflow } from './stays/contract';

type Conforms<Actual extends Contract, Contract> = [Actual, Contract];

export type WorkflowConformance = [
  Conforms<typeof workflows.orderLifecycle, OrderLifecycleWorkflow>,
  Conforms<typeof workflows.returnLifecycle, ReturnLifecycleWorkflow>,
  Conforms<typeof workflows.reservationLifecycle, ReservationLifecycleWorkflow>,
  Conforms<typeof workflows.nightAudit, NightAuditWorkflow>,
  Conforms<typeof workflows.channelSync, ChannelSyncWorkflow>,
  Conforms<typeof workflows.channelResync, ChannelSyncWorkflow>,
  Conforms<typeof workflows.catalogueImport, CatalogueImportWorkflow>,
];

/** A partner kind's queue offers only its kind's activities: these must not type-check. */
type Lacks<Activities, Name extends string> = [Name] extends [keyof Activities] ? false : true;
type MustHold<Check extends true> = Check;

export type PartnerKindSeparation = [
  MustHold<Lacks<AccountingActivities, 'buyLabel'>>,
  MustHold<Lacks<CarrierActivities, 'postOrderToAccounting'>>,
  MustHold<Lacks<LockActivities, 'pushAri'>>,
  MustHold<Lacks<OtaActivities, 'issueRoomKey'>>,
];

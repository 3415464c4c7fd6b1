/**
 * The workflow types the orchestration worker runs. Each one's module is required the first time
 * a run of it starts, not when the bundle loads: in the worker's reused V8 context every run
 * evaluates the modules it requires afresh (module state is per run), so a run now evaluates its
 * own type's module graph only, not every area's contracts and zod schemas. That was about 7 ms of
 * CPU an order (docs/benchmarks.md, `bench/replay`). Nothing of a run's commands changes.
 */
/* eslint-disable @typescript-eslint/no-require-imports, no-restricted-globals -- a require inside a
   function is what defers a module's evaluation in the workflow bundle */

/**
 * A workflow function that requires its module on its first call, typed as the function itself
 * and named as it (a client or `startChild` handed the function takes the workflow type from its
 * name). Options set on a workflow function (`setWorkflowOptions`) would not carry over: none are.
 */
function deferred<M, K extends keyof M & string>(load: () => M, name: K): M[K] {
  const call = (...args: unknown[]) => (load()[name] as (...a: unknown[]) => unknown)(...args);
  return Object.defineProperty(call, 'name', { value: name }) as M[K];
}

const orderFulfillmentModule = () =>
  require('./orders/order-fulfillment') as typeof import('./orders/order-fulfillment');
const orderLifecycleModule = () =>
  require('./orders/order-lifecycle') as typeof import('./orders/order-lifecycle');
const shopifyReconcileModule = () =>
  require('./orders/shopify-reconcile') as typeof import('./orders/shopify-reconcile');
const trackerReconcileModule = () =>
  require('./orders/tracker-reconcile') as typeof import('./orders/tracker-reconcile');
const housekeepingModule = () => require('./housekeeping') as typeof import('./housekeeping');
const returnLifecycleModule = () =>
  require('./returns/return-lifecycle') as typeof import('./returns/return-lifecycle');
const reservationLifecycleModule = () =>
  require('./stays/reservation-lifecycle') as typeof import('./stays/reservation-lifecycle');
const nightAuditModule = () => require('./stays/night-audit') as typeof import('./stays/night-audit');
const channelSyncModule = () =>
  require('./channels/channel-sync') as typeof import('./channels/channel-sync');
const reservationPullModule = () =>
  require('./channels/reservation-pull') as typeof import('./channels/reservation-pull');
const catalogueImportModule = () =>
  require('./channels/catalogue-import') as typeof import('./channels/catalogue-import');

export const orderFulfillment = deferred(orderFulfillmentModule, 'orderFulfillment');
export const orderLifecycle = deferred(orderLifecycleModule, 'orderLifecycle');
export const shopifyReconcile = deferred(shopifyReconcileModule, 'shopifyReconcile');
export const trackerReconcile = deferred(trackerReconcileModule, 'trackerReconcile');
export const calendarHorizon = deferred(housekeepingModule, 'calendarHorizon');
export const hubHousekeeping = deferred(housekeepingModule, 'hubHousekeeping');
export const returnLifecycle = deferred(returnLifecycleModule, 'returnLifecycle');
export const reservationLifecycle = deferred(reservationLifecycleModule, 'reservationLifecycle');
export const nightAudit = deferred(nightAuditModule, 'nightAudit');
export const channelSync = deferred(channelSyncModule, 'channelSync');
export const channelResync = deferred(channelSyncModule, 'channelResync');
export const otaReservationPull = deferred(reservationPullModule, 'otaReservationPull');
export const catalogueImport = deferred(catalogueImportModule, 'catalogueImport');

export { orderFulfillment } from './orders/order-fulfillment';
export { orderLifecycle } from './orders/order-lifecycle';
export { shopifyReconcile } from './orders/shopify-reconcile';
export { calendarHorizon, hubHousekeeping } from './housekeeping';
export { returnLifecycle } from './returns/return-lifecycle';
export { reservationLifecycle } from './stays/reservation-lifecycle';
export { nightAudit } from './stays/night-audit';
export { channelResync, channelSync } from './channels/channel-sync';
export { otaReservationPull } from './channels/reservation-pull';

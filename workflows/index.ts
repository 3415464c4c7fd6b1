export { orderFulfillment } from './orders/order-fulfillment';

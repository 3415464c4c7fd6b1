/**
 * What a marketplace may sell from a location: the units on hand less those held for orders and a
 * safety buffer kept back from that marketplace (against sales it makes before it hears of ours),
 * never below zero.
 */
export function availableToSell(level: { onHand: number; reserved: number }, buffer: number): number {
  return Math.max(level.onHand - level.reserved - buffer, 0);
}

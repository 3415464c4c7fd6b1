import type { ShippingService } from '../order';

/** Reads a channel's free-text shipping method ("Express 2-Day", "Next Day Air") as a service level. */
export function serviceLevelFrom(text: string | undefined | null): ShippingService {
  const value = (text ?? '').toLowerCase();
  if (/overnight|next[ -]?day|1[ -]?day/.test(value)) return 'overnight';
  if (/express|priority|expedited|2[ -]?day|two[ -]day/.test(value)) return 'express';
  return 'ground';
}

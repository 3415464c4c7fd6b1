/**
 * A room's housekeeping state. Guests may be given only clean or inspected rooms; a room out of
 * order is taken off the calendar (it cannot be sold), one out of service stays sellable but is
 * not given out until it is back.
 */
export const ROOM_STATUSES = ['dirty', 'clean', 'inspected', 'out_of_service', 'out_of_order'] as const;
export type RoomStatus = (typeof ROOM_STATUSES)[number];

const NEXT: Record<RoomStatus, readonly RoomStatus[]> = {
  dirty: ['clean', 'out_of_service', 'out_of_order'],
  clean: ['inspected', 'dirty', 'out_of_service', 'out_of_order'],
  inspected: ['dirty', 'out_of_service', 'out_of_order'],
  // Back in service means cleaning first.
  out_of_service: ['dirty'],
  out_of_order: ['dirty'],
};

/** Why a room may not move from one state to another, or undefined when it may. */
export function roomTransitionRefusal(from: RoomStatus, to: RoomStatus): string | undefined {
  if (from === to) return undefined;
  return NEXT[from].includes(to)
    ? undefined
    : `a room that is ${from.replace(/_/g, ' ')} cannot become ${to.replace(/_/g, ' ')} (next: ${NEXT[from].join(', ')})`;
}

/** Rooms a guest can be given. */
export function isReadyForGuest(status: RoomStatus): boolean {
  return status === 'clean' || status === 'inspected';
}

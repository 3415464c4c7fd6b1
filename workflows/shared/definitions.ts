/** The hub's daily upkeep (the `crossdock-housekeeping` schedule's arguments). */
export interface HousekeepingInput {
  olderThanDays: number;
}

/**
 * The calendar trigger function that marks a room type's night for its channels, written after
 * `CREATE [OR REPLACE] FUNCTION`. An update that leaves every column channels are told of as it
 * was marks nothing. Channel sync (0006) created it; master data (0008) also compares the closed
 * period, and its down migration puts the original back. The text is kept verbatim, whitespace
 * included, since applied migrations must run the same script.
 */
export function markChannelsDirtyFunction(alsoCompared: string[] = []): string {
  const extraComparisons = alsoCompared
    .map((column) => `\n         AND NEW.${column} = OLD.${column}`)
    .join('');
  return `mark_channels_dirty() RETURNS trigger AS $$
    BEGIN
      IF TG_OP = 'UPDATE'
         AND NEW.physical = OLD.physical AND NEW.out_of_order = OLD.out_of_order
         AND NEW.sold = OLD.sold AND NEW.held = OLD.held AND NEW.closed = OLD.closed${extraComparisons}
         AND NEW.closed_to_arrival = OLD.closed_to_arrival AND NEW.closed_to_departure = OLD.closed_to_departure
         AND NEW.min_los IS NOT DISTINCT FROM OLD.min_los AND NEW.max_los IS NOT DISTINCT FROM OLD.max_los THEN
        RETURN NEW;
      END IF;
      PERFORM mark_channel_night(NEW.tenant_id, NEW.property_id, NEW.room_type_id, NEW.date);
      RETURN NEW;
    END
    $$ LANGUAGE plpgsql;`;
}

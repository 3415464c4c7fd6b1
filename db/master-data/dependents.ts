import { QueryTypes, type Sequelize, type Transaction } from 'sequelize';
import {
  partKey,
  recordId,
  type MasterRecord,
  type PlannedChange,
  type StoredRecord,
} from '../../domain/master-data/plan';
import { BUSINESS_DATE_SQL } from '../rooms';
import { splitPart } from './store';

/** At most this many dependents are named per record; the rest are counted. */
const NAMED = 5;

function naming(what: string, dependents: string[]): string {
  const named = dependents.slice(0, NAMED).join(', ');
  const more = dependents.length > NAMED ? ` and ${dependents.length - NAMED} more` : '';
  return `${what}: ${named}${more}`;
}

/**
 * Why these changes cannot be written, naming what depends on what they take away: an open
 * order's SKU or location, a future stay's property, room type or rate plan, a room someone is
 * in or that is out of order, and a room type that would keep fewer rooms than its future nights
 * have sold. Empty when nothing stands in the way.
 */
export async function blockingDependents(
  sequelize: Sequelize,
  transaction: Transaction,
  tenantId: string,
  stored: ReadonlyMap<string, StoredRecord>,
  changes: PlannedChange[],
  resulting: ReadonlyMap<string, MasterRecord>,
): Promise<string[]> {
  const reasons: string[] = [];
  const retired = (kind: PlannedChange['kind']) =>
    changes.filter((c) => c.action === 'retire' && c.kind === kind).map((c) => c.key);
  const query = <T extends object>(sql: string, replacements: Record<string, unknown>) =>
    sequelize.query<T>(sql, {
      replacements: { tenantId, ...replacements },
      type: QueryTypes.SELECT,
      transaction,
    });

  for (const [kind, column] of [
    ['item', 'sku'],
    ['location', 'location_id'],
  ] as const) {
    const keys = retired(kind);
    if (keys.length === 0) continue;
    const rows = await query<{ key: string; orders: string[] }>(
      `SELECT ${column} AS key, array_agg(DISTINCT order_key ORDER BY order_key) AS orders FROM stock_reservations
        WHERE tenant_id = :tenantId AND ${column} IN (:keys) AND status = 'held' GROUP BY ${column}`,
      { keys },
    );
    for (const row of rows) reasons.push(naming(`${kind} ${row.key} is held by open orders`, row.orders));
  }

  // Future nights: from the property's business date on, held, sold or stayed in.
  const futureStays = async (where: string, replacements: Record<string, unknown>) =>
    query<{ reservations: string[] }>(
      `SELECT array_agg(DISTINCT n.reservation_key ORDER BY n.reservation_key) AS reservations
         FROM stay_nights n JOIN properties p ON p.tenant_id = n.tenant_id AND p.id = n.property_id
        WHERE n.tenant_id = :tenantId AND (${where}) AND n.date >= ${BUSINESS_DATE_SQL}
       HAVING count(*) > 0`,
      replacements,
    ).then((rows) => rows[0]?.reservations ?? []);
  const blocked = (what: string, reservations: string[]) => {
    if (reservations.length) reasons.push(naming(`${what} has future stays`, reservations));
  };
  for (const propertyId of retired('property'))
    blocked(`property ${propertyId}`, await futureStays('n.property_id = :propertyId', { propertyId }));
  for (const key of retired('roomType')) {
    const [propertyId, roomTypeId] = splitPart(key);
    if (retired('property').includes(propertyId)) continue;
    blocked(
      `room type ${key}`,
      await futureStays('n.property_id = :propertyId AND n.room_type_id = :roomTypeId', {
        propertyId,
        roomTypeId,
      }),
    );
  }
  for (const key of retired('ratePlan')) {
    const [propertyId, planId] = splitPart(key);
    if (retired('property').includes(propertyId)) continue;
    const plan = stored.get(recordId('ratePlan', key));
    // Nights taken before rate plans were recorded on them count for every plan of their room type.
    blocked(
      `rate plan ${key}`,
      await futureStays(
        `n.property_id = :propertyId AND (n.rate_plan_id = :planId
           OR (n.rate_plan_id IS NULL AND n.room_type_id = :roomTypeId))`,
        { propertyId, planId, roomTypeId: String(plan?.value.roomTypeId ?? '') },
      ),
    );
  }

  // Rooms leaving a room type (retired, or moved to another): not while occupied or out of order.
  const leaving = changes
    .filter((c) => c.kind === 'room')
    .filter((c) => {
      const before = stored.get(recordId('room', c.key));
      return (
        before &&
        !before.retired &&
        (c.action === 'retire' || before.value.roomTypeId !== c.record?.value.roomTypeId)
      );
    });
  for (const change of leaving) {
    const [propertyId, number] = splitPart(change.key);
    const [room] = await query<{ occupied_by: string | null; status: string }>(
      `SELECT occupied_by, status FROM rooms WHERE tenant_id = :tenantId AND property_id = :propertyId AND number = :number`,
      { propertyId, number },
    );
    if (room?.occupied_by) reasons.push(`room ${change.key} is occupied by ${room.occupied_by}`);
    else if (room && ['out_of_order', 'out_of_service'].includes(room.status))
      reasons.push(`room ${change.key} is ${room.status.replace(/_/g, ' ')}: put it back in service first`);
  }

  // Every room type keeps at least as many rooms as any future night has taken.
  const counted = new Set<string>();
  for (const change of changes.filter((c) => c.kind === 'room')) {
    const before = stored.get(recordId('room', change.key));
    if (before && !before.retired) counted.add(partKey(before.propertyId!, String(before.value.roomTypeId)));
  }
  for (const typeKey of counted) {
    if (!resulting.has(recordId('roomType', typeKey))) continue; // retired with its stays checked above
    const [propertyId, roomTypeId] = splitPart(typeKey);
    const rooms = [...resulting.values()].filter(
      (r) => r.kind === 'room' && r.propertyId === propertyId && r.value.roomTypeId === roomTypeId,
    ).length;
    const short = await query<{ date: string; taken: number }>(
      `SELECT to_char(c.date, 'YYYY-MM-DD') AS date, c.sold + c.held + c.out_of_order AS taken
         FROM room_type_calendar c JOIN properties p ON p.tenant_id = c.tenant_id AND p.id = c.property_id
        WHERE c.tenant_id = :tenantId AND c.property_id = :propertyId AND c.room_type_id = :roomTypeId
          AND c.date >= ${BUSINESS_DATE_SQL} AND c.sold + c.held + c.out_of_order > :rooms
        ORDER BY c.date`,
      { propertyId, roomTypeId, rooms },
    );
    if (short.length)
      reasons.push(
        naming(
          `room type ${typeKey} would keep ${rooms} room(s), fewer than these nights have taken`,
          short.map((s) => `${s.date} (${s.taken})`),
        ),
      );
  }
  return reasons;
}

import { QueryTypes, type Sequelize } from 'sequelize';
import type { NightRates, NightRestrictions } from '../domain/channels/ari';
import { affectedRows } from './database';
import { clearReadMarks, type MarkKey } from './dirty-marks';
import { ensureCalendar } from './stays/calendar';

/** Records which property each OTA connection sells; the calendar trigger marks nights for them. */
export async function syncChannelConnections(
  sequelize: Sequelize,
  connections: Array<{ tenantId: string; connectorId: string; propertyId: string }>,
): Promise<void> {
  await sequelize.transaction(async (transaction) => {
    for (const c of connections)
      await sequelize.query(
        `INSERT INTO channel_connections (tenant_id, connector_id, property_id) VALUES (:tenantId, :connectorId, :propertyId)
         ON CONFLICT (tenant_id, connector_id) DO UPDATE SET property_id = EXCLUDED.property_id`,
        { replacements: c, transaction },
      );
  });
}

/**
 * What channels are told of a night: free rooms (nothing when closed, never below zero), its
 * restrictions, and each rate plan's amount (the night's override, else the plan's).
 */
const NIGHT_SQL = `CASE WHEN c.closed OR c.closed_period THEN 0 ELSE GREATEST(c.physical - c.out_of_order - c.sold - c.held, 0) END AS bookable,
  jsonb_build_object('closed', c.closed OR c.closed_period, 'closedToArrival', c.closed_to_arrival, 'closedToDeparture', c.closed_to_departure,
                     'minLos', c.min_los, 'maxLos', c.max_los) AS restrictions,
  (SELECT COALESCE(jsonb_object_agg(p.id, to_char(COALESCE(ra.amount, p.amount), 'FM999999990.00')), '{}'::jsonb)
     FROM rate_plans p
     LEFT JOIN rate_amounts ra ON ra.tenant_id = p.tenant_id AND ra.property_id = p.property_id
          AND ra.rate_plan_id = p.id AND ra.date = c.date
    WHERE p.tenant_id = c.tenant_id AND p.property_id = c.property_id AND p.room_type_id = c.room_type_id
      AND p.retired_at IS NULL) AS rates,
  a.bookable AS acked_bookable, a.restrictions AS acked_restrictions, a.rates AS acked_rates`;

interface NightRow {
  room_type_id: string;
  date: string;
  bookable: number;
  restrictions: NightRestrictions;
  rates: NightRates;
  acked_bookable: number | null;
  acked_restrictions: NightRestrictions | null;
  acked_rates: NightRates | null;
  marked_at?: string;
}

function asNight(r: NightRow): ChannelNight {
  return {
    roomTypeId: r.room_type_id,
    date: r.date,
    bookable: Number(r.bookable),
    restrictions: r.restrictions,
    rates: r.rates,
    acked: {
      bookable: r.acked_bookable === null ? null : Number(r.acked_bookable),
      restrictions: r.acked_restrictions,
      rates: r.acked_rates,
    },
    ...(r.marked_at ? { markedAt: r.marked_at } : {}),
  };
}

export interface ChannelNight {
  roomTypeId: string;
  date: string;
  bookable: number;
  restrictions: NightRestrictions;
  rates: NightRates;
  /** What the channel last acknowledged for the night, part by part. */
  acked: { bookable: number | null; restrictions: NightRestrictions | null; rates: NightRates | null };
  /** The dirty mark read (absent in a complete set): cleared only if not marked again since. */
  markedAt?: string;
}

/**
 * The dirty nights of a connection within its horizon (oldest marks first, at most `limit`),
 * with the calendar's current free rooms and what the channel acknowledged. Marks for nights
 * that have passed are dropped.
 */
export async function dirtyNights(
  sequelize: Sequelize,
  ref: { tenantId: string; connectorId: string; from: string; to: string; limit: number },
): Promise<ChannelNight[]> {
  await sequelize.query(
    `DELETE FROM channel_dirty WHERE tenant_id = :tenantId AND connector_id = :connectorId AND date < :from`,
    { replacements: ref },
  );
  const rows = await sequelize.query<NightRow>(
    `SELECT d.room_type_id, to_char(d.date, 'YYYY-MM-DD') AS date, ${NIGHT_SQL},
            to_char(d.marked_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS marked_at
       FROM channel_dirty d
       JOIN channel_connections cc ON cc.tenant_id = d.tenant_id AND cc.connector_id = d.connector_id
       JOIN room_type_calendar c ON c.tenant_id = d.tenant_id AND c.property_id = cc.property_id
            AND c.room_type_id = d.room_type_id AND c.date = d.date
       LEFT JOIN channel_acked a ON a.tenant_id = d.tenant_id AND a.connector_id = d.connector_id
            AND a.room_type_id = d.room_type_id AND a.date = d.date
      WHERE d.tenant_id = :tenantId AND d.connector_id = :connectorId AND d.date BETWEEN :from AND :to
      ORDER BY d.marked_at, d.room_type_id, d.date
      LIMIT :limit`,
    { replacements: ref, type: QueryTypes.SELECT },
  );
  return rows.map(asNight);
}

/** Every night of the connection's property from `from` to `to`, for a complete set. */
export async function allNights(
  sequelize: Sequelize,
  ref: { tenantId: string; connectorId: string; propertyId: string; from: string; to: string },
): Promise<ChannelNight[]> {
  await sequelize.transaction((transaction) =>
    ensureCalendar(
      sequelize,
      transaction,
      { tenantId: ref.tenantId, propertyId: ref.propertyId },
      ref.from,
      ref.to,
    ),
  );
  const rows = await sequelize.query<NightRow>(
    `SELECT c.room_type_id, to_char(c.date, 'YYYY-MM-DD') AS date, ${NIGHT_SQL}
       FROM room_type_calendar c
       LEFT JOIN channel_acked a ON a.tenant_id = c.tenant_id AND a.connector_id = :connectorId
            AND a.room_type_id = c.room_type_id AND a.date = c.date
      WHERE c.tenant_id = :tenantId AND c.property_id = :propertyId AND c.date BETWEEN :from AND :to
      ORDER BY c.room_type_id, c.date`,
    { replacements: ref, type: QueryTypes.SELECT },
  );
  return rows.map(asNight);
}

/** What the channel acknowledged, part by part: a part left out keeps what it had. */
export async function recordAcknowledged(
  sequelize: Sequelize,
  ref: { tenantId: string; connectorId: string },
  acknowledged: Array<{
    roomTypeId: string;
    date: string;
    bookable?: number;
    restrictions?: NightRestrictions;
    rates?: NightRates;
  }>,
): Promise<void> {
  if (acknowledged.length === 0) return;
  await sequelize.query(
    `INSERT INTO channel_acked (tenant_id, connector_id, room_type_id, date, bookable, restrictions, rates)
     SELECT :tenantId, :connectorId, v.room_type_id, v.date::date, v.bookable, v.restrictions, v.rates
       FROM jsonb_to_recordset(CAST(:values AS jsonb))
         AS v(room_type_id text, date text, bookable int, restrictions jsonb, rates jsonb)
     ON CONFLICT (tenant_id, connector_id, room_type_id, date)
     DO UPDATE SET bookable = COALESCE(EXCLUDED.bookable, channel_acked.bookable),
                   restrictions = COALESCE(EXCLUDED.restrictions, channel_acked.restrictions),
                   rates = COALESCE(EXCLUDED.rates, channel_acked.rates), acked_at = now()`,
    {
      replacements: {
        ...ref,
        values: JSON.stringify(
          acknowledged.map((a) => ({
            room_type_id: a.roomTypeId,
            date: a.date,
            bookable: a.bookable ?? null,
            restrictions: a.restrictions ?? null,
            rates: a.rates ?? null,
          })),
        ),
      },
    },
  );
}

/** A night's mark: its room type and date. */
const NIGHT_MARK: MarkKey = {
  recordColumns: 'room_type_id text, date text, marked_at timestamptz',
  matches: 'd.room_type_id = m.room_type_id AND d.date = m.date::date AND d.marked_at <= m.marked_at',
};

/**
 * The marks that were read are done with, unless the night was marked again after it was read
 * (that change still has to go out). A complete set clears every mark made before it was read.
 */
export async function clearMarks(
  sequelize: Sequelize,
  ref: { tenantId: string; connectorId: string },
  read: { marks: Array<{ roomTypeId: string; date: string; markedAt: string }> } | { before: string },
): Promise<void> {
  await clearReadMarks(
    sequelize,
    'channel_dirty',
    NIGHT_MARK,
    ref,
    'before' in read
      ? read
      : {
          marks: read.marks.map((m) => ({ room_type_id: m.roomTypeId, date: m.date, marked_at: m.markedAt })),
        },
  );
}

export interface MappingIssue {
  roomTypeId: string;
  reason: string;
  raisedAt: string;
}

/** A room type the channel refused: set aside (its nights stop going out) until ops resolve it. */
export async function raiseMappingIssue(
  sequelize: Sequelize,
  ref: { tenantId: string; connectorId: string; roomTypeId: string; reason: string },
): Promise<void> {
  await sequelize.query(
    `INSERT INTO channel_mapping_issues (tenant_id, connector_id, room_type_id, reason) VALUES (:tenantId, :connectorId, :roomTypeId, :reason)
     ON CONFLICT (tenant_id, connector_id, room_type_id)
     DO UPDATE SET reason = EXCLUDED.reason, raised_at = now(), resolved_at = NULL`,
    { replacements: ref },
  );
}

export async function openMappingIssues(
  sequelize: Sequelize,
  ref: { tenantId: string; connectorId: string },
): Promise<MappingIssue[]> {
  const rows = await sequelize.query<{ room_type_id: string; reason: string; raised_at: Date }>(
    `SELECT room_type_id, reason, raised_at FROM channel_mapping_issues
      WHERE tenant_id = :tenantId AND connector_id = :connectorId AND resolved_at IS NULL ORDER BY room_type_id`,
    { replacements: ref, type: QueryTypes.SELECT },
  );
  return rows.map((r) => ({
    roomTypeId: r.room_type_id,
    reason: r.reason,
    raisedAt: new Date(r.raised_at).toISOString(),
  }));
}

/** Ops fixed the mapping: the room type goes out again, as a whole, with the next complete set. */
export async function resolveMappingIssues(
  sequelize: Sequelize,
  ref: { tenantId: string; connectorId: string },
): Promise<number> {
  const [, count] = await sequelize.query(
    `UPDATE channel_mapping_issues SET resolved_at = now()
      WHERE tenant_id = :tenantId AND connector_id = :connectorId AND resolved_at IS NULL`,
    { replacements: ref },
  );
  return affectedRows(count);
}

import { fromMinorUnits } from '../shared/money';

/** One date of a property, all room types together, as the calendar and the sold nights give it. */
export interface OccupancyInput {
  date: string;
  physical: number;
  outOfOrder: number;
  /** Room nights sold (confirmed or stayed). */
  sold: number;
  /** Room revenue of those nights, tax excluded, in minor units. */
  revenueMinor: number;
}

export interface OccupancyRow {
  date: string;
  roomsAvailable: number;
  roomsSold: number;
  /** Sold over available, in percent with one decimal. */
  occupancy: string;
  revenue: string;
  /** Average daily rate: revenue per room sold. */
  adr: string;
  /** Revenue per available room. */
  revpar: string;
}

const perRoom = (minor: number, rooms: number) => fromMinorUnits(rooms > 0 ? Math.round(minor / rooms) : 0);
const percent = (part: number, whole: number) => (whole > 0 ? ((part * 100) / whole).toFixed(1) : '0.0');

/** Occupancy, ADR and RevPAR per date and for the whole range (out-of-order rooms are not available). */
export function occupancyReport(days: OccupancyInput[]): {
  days: OccupancyRow[];
  total: Omit<OccupancyRow, 'date'>;
} {
  const row = (d: Omit<OccupancyInput, 'date'>) => {
    const available = Math.max(0, d.physical - d.outOfOrder);
    return {
      roomsAvailable: available,
      roomsSold: d.sold,
      occupancy: percent(d.sold, available),
      revenue: fromMinorUnits(d.revenueMinor),
      adr: perRoom(d.revenueMinor, d.sold),
      revpar: perRoom(d.revenueMinor, available),
    };
  };
  const sum = days.reduce(
    (acc, d) => ({
      physical: acc.physical + d.physical,
      outOfOrder: acc.outOfOrder + d.outOfOrder,
      sold: acc.sold + d.sold,
      revenueMinor: acc.revenueMinor + d.revenueMinor,
    }),
    { physical: 0, outOfOrder: 0, sold: 0, revenueMinor: 0 },
  );
  return { days: days.map((d) => ({ date: d.date, ...row(d) })), total: row(sum) };
}

/** The report as CSV, one line per date and a total line. */
export function occupancyCsv(report: ReturnType<typeof occupancyReport>): string {
  const header = 'date,rooms_available,rooms_sold,occupancy_percent,revenue,adr,revpar';
  const line = (date: string, r: Omit<OccupancyRow, 'date'>) =>
    [date, r.roomsAvailable, r.roomsSold, r.occupancy, r.revenue, r.adr, r.revpar].join(',');
  return [header, ...report.days.map((d) => line(d.date, d)), line('total', report.total)].join('\n') + '\n';
}

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { OtaReservationsMessage } from '../../connectors/ota/alpinebits/reservations';

/** AlpineBits 2018-10 and 2020-10 sample messages (CC0, NOI Techpark), kept in the repository. */
const SAMPLES = join(__dirname, '..', 'fixtures', 'alpinebits');

/** A sample message's text, by its path below the samples folder (the version's folder first). */
export function alpineBitsSample(...path: string[]): string {
  return readFileSync(join(SAMPLES, ...path), 'utf8');
}

/** The names of the XML samples in a folder below the samples folder, in order. */
export function alpineBitsSampleFiles(...folder: string[]): string[] {
  return readdirSync(join(SAMPLES, ...folder))
    .filter((f) => f.endsWith('.xml'))
    .sort();
}

/** A two-night stay in a double room for two adults and a child, as an OTA's pull answer lists it. */
export const RESERVED_DOUBLE: OtaReservationsMessage['reservations'][number] = {
  id: 'R1',
  status: 'Reserved',
  createdAt: '2027-01-01T10:00:00Z',
  roomTypeCode: 'DBL',
  ratePlanCode: 'FLEX',
  arrival: '2027-02-01',
  departure: '2027-02-03',
  adults: 2,
  childAges: [7],
};

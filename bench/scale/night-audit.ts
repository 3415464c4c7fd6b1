import { randomBytes } from 'node:crypto';
import axios from 'axios';
import { declareProperty } from '../../db/master-data/declare';
import { localDate } from '../../domain/stays/dates';
import { daytimeZone } from '../shared/daytime';
import { startBenchHub } from '../shared/hub';
import { doubleRoomBooking } from '../../tests/support/properties';

export interface NightAuditRow {
  rooms: number;
  inHouse: number;
  /** `POST /v1/properties/:id/night-audit` until it answered (every signal sent, the date rolled). */
  auditSeconds: number;
  /** From the request until every guest in house has the night on the folio. */
  chargedSeconds: number;
}

/**
 * The night audit of a property of `rooms` double rooms, 96 % of them in house (booked, checked in
 * with a key): the audit run by hand, and the time until every folio carries the night. The
 * property keeps a clock where it is day, so no scheduled audit interferes.
 */
export async function measureNightAudit(rooms: number): Promise<NightAuditRow> {
  const propertyId = `audit-${randomBytes(3).toString('hex')}`;
  const timeZone = daytimeZone();
  const hub = await startBenchHub({
    adjust: (config) => {
      for (const connector of config.connectors) connector.rateLimit.requestsPerSecond = 1000;
    },
    beforeStart: (services) =>
      declareProperty(
        services.sequelize,
        {
          tenantId: 'alpine',
          id: propertyId,
          name: 'Audit lodge',
          timeZone,
          currency: 'EUR',
          roomTypes: [
            {
              id: 'dbl',
              name: 'Double',
              maxOccupancy: 2,
              rooms: Array.from({ length: rooms }, (_, i) => `${1000 + i}`),
            },
          ],
          ratePlans: [
            {
              id: 'flex',
              roomTypeId: 'dbl',
              name: 'Flexible',
              amount: '120.00',
              taxPercent: 10,
              cancellation: { freeUntilDaysBefore: 1, penalty: { nights: 1 } },
            },
          ],
        },
        { horizonDays: 30 },
      ),
  });
  try {
    const { apiUrl } = hub;
    const headers = { Authorization: `Bearer ${process.env.CROSSDOCK_API_KEY_ALPINE}` };
    const http = axios.create({ baseURL: apiUrl, headers, validateStatus: () => true });
    const today = localDate(Date.now(), timeZone);
    const inHouse = Math.round(rooms * 0.96);
    const ids: string[] = [];
    for (let i = 0; i < inHouse; i += 25) {
      const batch = await Promise.all(
        Array.from({ length: Math.min(25, inHouse - i) }, async (_, j) => {
          const booked = await http.post<{ id: string }>(
            '/v1/reservations',
            doubleRoomBooking({
              channel: 'rest',
              externalId: `audit-${propertyId}-${i + j}`,
              propertyId,
              arrival: today,
              nights: 2,
              guest: { name: `Guest ${i + j}` },
            }),
          );
          if (booked.status !== 201) throw new Error(`booking answered ${booked.status}`);
          const checkedIn = await http.post(`/v1/reservations/${booked.data.id}/check-in`, {});
          if (checkedIn.status !== 200) throw new Error(`check-in answered ${checkedIn.status}`);
          return booked.data.id;
        }),
      );
      ids.push(...batch);
    }

    const started = Date.now();
    const audit = await http.post<{ inHouse: number }>(`/v1/properties/${propertyId}/night-audit`);
    if (audit.status !== 200 || audit.data.inHouse !== inHouse)
      throw new Error(`the audit answered ${audit.status} ${JSON.stringify(audit.data)}`);
    const auditSeconds = (Date.now() - started) / 1000;
    // Each reservation applies the audit itself: wait until every folio has tonight's room.
    let waiting = [...ids];
    while (waiting.length > 0) {
      const still: string[] = [];
      for (let i = 0; i < waiting.length; i += 50)
        await Promise.all(
          waiting.slice(i, i + 50).map(async (id) => {
            const view = await http.get<{ folio: { entries: Array<{ id: string }> } }>(
              `/v1/reservations/${id}`,
            );
            if (!view.data.folio?.entries.some((e) => e.id === `room:${today}`)) still.push(id);
          }),
        );
      waiting = still;
      if (Date.now() - started > 900_000) throw new Error(`${waiting.length} folios never got the night`);
    }
    return {
      rooms,
      inHouse,
      auditSeconds: Math.round(auditSeconds * 10) / 10,
      chargedSeconds: Math.round((Date.now() - started) / 100) / 10,
    };
  } finally {
    await hub.stop();
  }
}

import type { WorkflowHandle } from '@temporalio/client';
import { declareProperty } from '../../db/master-data/declare';
import { availabilityOf } from '../../db/stays/calendar';
import { addDays, localDate } from '../../domain/stays/dates';
import type { ReservationStatus, ReservationView } from '../../domain/stays/reservation';
import { type ReservationRequestInput, reservationRequestSchema } from '../../domain/stays/validation';
import type { TenantConfig } from '../../platform/config/schema';
import { QueryTypes } from 'sequelize';
import type { nightAudit } from '../../workflows';
import axios from 'axios';
import {
  addPaymentUpdate,
  checkInUpdate,
  cancelReservationUpdate,
  confirmReservationUpdate,
  getReservationQuery,
} from '../../workflows/stays/contract';
import { eventually, uniqueId } from '../support/fixtures';
import { skipTo, sleepInSteps, timeSkippingHubForTests, updateRefusal } from '../support/time-skipping';

const MINUTE = 60_000;
const DAY = 1_440 * MINUTE;

/**
 * Reservations on the time-skipping server with the real inventory calendar: holds run out and
 * cancellation windows close in moments, counted on the property's own calendar.
 */
describe('reservationLifecycle workflow (time-skipping server)', () => {
  const hub = timeSkippingHubForTests();
  let alpine: TenantConfig;
  let propertyId: string;

  beforeAll(async () => {
    alpine = hub().config.tenants.find((t) => t.id === 'alpine')!;
    // A week to pay a fee: under the test server's 24.8-day limit on a single timer.
    alpine.stays.settlementDays = 7;
    propertyId = uniqueId('tokyo');
    await declareProperty(hub().sequelize, {
      tenantId: 'alpine',
      id: propertyId,
      name: 'Harbour Hotel',
      // Nine hours ahead of UTC: the property's day starts while it is still yesterday in UTC.
      timeZone: 'Asia/Tokyo',
      currency: 'JPY',
      roomTypes: [{ id: 'twin', name: 'Twin', maxOccupancy: 2, rooms: ['301', '302'] }],
      ratePlans: [
        {
          id: 'flex',
          roomTypeId: 'twin',
          name: 'Flexible',
          amount: '120.00',
          taxPercent: 10,
          cancellation: { freeUntilDaysBefore: 2, penalty: { nights: 1 } },
        },
      ],
    });
  });

  async function book(arrival: string, extra: Partial<ReservationRequestInput> = {}) {
    const request = reservationRequestSchema.parse({
      externalId: uniqueId('bk'),
      propertyId,
      roomTypeId: 'twin',
      ratePlanId: 'flex',
      arrival,
      departure: addDays(arrival, 2),
      guests: { adults: 2 },
      guest: { name: 'Grace Hopper' },
      ...extra,
    });
    const { view } = await hub().reservations.book(alpine, request);
    return { view, handle: hub().reservations.handle('alpine', view.id)! };
  }

  async function until(handle: WorkflowHandle, status: ReservationStatus): Promise<ReservationView> {
    return eventually(`reservation to be ${status}`, async () => {
      const view = await handle.query(getReservationQuery);
      return view.status === status ? view : undefined;
    });
  }

  const held = async (date: string) =>
    (await availabilityOf(hub().sequelize, 'alpine', propertyId, date, date))[0]!;

  it('gives the rooms back when a hold is not confirmed in time, and confirms one that is', async () => {
    const arrival = localDate((await hub().env.currentTimeMs()) + 40 * DAY, 'Asia/Tokyo');
    const lapsing = await book(arrival);
    expect(lapsing.view).toMatchObject({
      status: 'held',
      nightly: ['120.00', '120.00'],
      totals: { room: '240.00', tax: '24.00', total: '264.00', currency: 'JPY' },
    });
    const kept = await book(arrival);
    expect((await held(arrival)).held).toBe(2);
    // Both rooms are held: a third booking is refused, naming each night that is full.
    await expect(book(arrival)).resolves.toMatchObject({
      view: {
        status: 'rejected',
        rejection: {
          type: 'NotAvailable',
          reasons: [`${arrival} is sold out`, `${addDays(arrival, 1)} is sold out`],
        },
      },
    });

    await hub().env.sleep(10 * MINUTE);
    const confirmed = await kept.handle.executeUpdate(confirmReservationUpdate, {
      args: [{ guarantee: { kind: 'card', reference: 'tok_visa' } }],
    });
    expect(confirmed.status).toBe('confirmed');
    await hub().env.sleep(21 * MINUTE);
    const expired = await until(lapsing.handle, 'expired');
    expect(expired.timeline.at(-1)?.note).toBe('not confirmed within 30 minutes; rooms released');
    expect(await held(arrival)).toMatchObject({ held: 0, sold: 1, available: 1 });
    expect(
      await updateRefusal(
        kept.handle.executeUpdate(confirmReservationUpdate, { args: [{ guarantee: { kind: 'card' } }] }),
      ),
    ).toMatch(/is confirmed; only a held reservation can be confirmed/);
  });

  it('cancels free until two days before arrival on the property’s calendar, then charges a night', async () => {
    const arrival = localDate((await hub().env.currentTimeMs()) + 60 * DAY, 'Asia/Tokyo');
    const early = await book(arrival, { guarantee: { kind: 'deposit' } });
    const late = await book(arrival, { guarantee: { kind: 'card' } });
    expect([early.view.status, late.view.status]).toEqual(['confirmed', 'confirmed']);

    // 14:00 UTC three days before arrival is 23:00 in Tokyo, still three days out: free.
    await skipTo(hub().env, Date.parse(`${addDays(arrival, -3)}T14:00:00Z`));
    const free = await early.handle.executeUpdate(cancelReservationUpdate, {
      args: [{ reason: 'plans changed' }],
    });
    expect(free.cancellation).toMatchObject({ fee: '0.00', reason: 'plans changed' });

    // 16:00 UTC two days before arrival is already one day before arrival in Tokyo: one night is due.
    await skipTo(hub().env, Date.parse(`${addDays(arrival, -2)}T16:00:00Z`));
    const charged = await late.handle.executeUpdate(cancelReservationUpdate, {
      args: [{ reason: 'flight cancelled' }],
    });
    expect(charged.status).toBe('cancelled');
    expect(charged.cancellation).toEqual({
      reason: 'flight cancelled',
      fee: '120.00',
      terms: 'cancelled 1 day(s) before arrival, inside the 2-day window: 1 night(s)',
    });
    expect(await held(arrival)).toMatchObject({ held: 0, sold: 0, available: 2 });

    // The fee is invoiced at once and its folio stays open for payment; the free one has nothing to bill.
    expect(free.accounting).toBeUndefined();
    expect(charged.accounting).toMatchObject({ connectorId: 'alpine-xero', paymentIds: [] });
    expect(charged.settlement).toMatchObject({ status: 'open', balance: '120.00' });
    await late.handle.executeUpdate(addPaymentUpdate, {
      args: [{ amount: '50.00', method: 'card', reference: uniqueId('fee') }],
    });
    const part = await eventually('the part payment in the books', async () => {
      const view = await late.handle.query(getReservationQuery);
      return view.accounting?.paymentIds?.length === 1 ? view : undefined;
    });
    expect(part.settlement).toMatchObject({ status: 'open', balance: '70.00' });
    // A week later the window has closed: what is still owed stays open in accounting.
    await sleepInSteps(hub().env, 8 * DAY);
    const lapsed = await eventually('the settlement window to close', async () => {
      const view = await late.handle.query(getReservationQuery);
      return view.settlement?.status === 'unsettled' ? view : undefined;
    });
    expect(lapsed.settlement?.balance).toBe('70.00');
    expect(lapsed.timeline.at(-1)?.note).toMatch(/left with 70.00 after 7 days/);
    const books = await axios.get<{ invoice: { AmountDue: number; Total: number }; payments: unknown[] }>(
      `${process.env.CROSSDOCK_SANDBOX_URL}/__sandbox/xero/invoices/${charged.accounting!.invoiceId}`,
    );
    expect(books.data.invoice).toMatchObject({ Total: 120, AmountDue: 70 });
    expect(books.data.payments).toHaveLength(1);
  });

  it('audits a night at the end of the property’s day: charges the guest in house, marks the no-show', async () => {
    const hawaii = uniqueId('hnl');
    await declareProperty(hub().sequelize, {
      tenantId: 'alpine',
      id: hawaii,
      name: 'Beach House',
      // Ten hours behind UTC, no daylight saving: 23:30 there is 09:30 UTC the next day.
      timeZone: 'Pacific/Honolulu',
      currency: 'USD',
      roomTypes: [{ id: 'king', name: 'King', maxOccupancy: 2, rooms: ['1', '2'] }],
      ratePlans: [
        {
          id: 'flex',
          roomTypeId: 'king',
          name: 'Flexible',
          amount: '200.00',
          taxPercent: 10,
          cancellation: { freeUntilDaysBefore: 2, penalty: { nights: 1 } },
        },
      ],
    });
    const arrival = localDate((await hub().env.currentTimeMs()) + DAY, 'Pacific/Honolulu');
    const stayAt = (externalId: string, nights: number) =>
      hub().reservations.book(
        alpine,
        reservationRequestSchema.parse({
          externalId,
          propertyId: hawaii,
          roomTypeId: 'king',
          ratePlanId: 'flex',
          arrival,
          departure: addDays(arrival, nights),
          guests: { adults: 2 },
          guest: { name: 'Guest' },
          guarantee: { kind: 'card' },
        }),
      );
    const staying = await stayAt(uniqueId('in'), 2);
    const absent = await stayAt(uniqueId('out'), 2);
    const stayingHandle = hub().reservations.handle('alpine', staying.view.id)!;
    const absentHandle = hub().reservations.handle('alpine', absent.view.id)!;

    await skipTo(hub().env, Date.parse(`${arrival}T12:00:00Z`)); // 02:00 on arrival day in Honolulu
    await stayingHandle.executeUpdate(checkInUpdate, { args: [{}] });
    // 09:30 UTC the next day is still 23:30 on arrival day in Honolulu: that day's audit.
    await skipTo(hub().env, Date.parse(`${addDays(arrival, 1)}T09:30:00Z`));
    const audit = await hub().env.client.workflow.start<typeof nightAudit>('nightAudit', {
      workflowId: uniqueId('audit'),
      taskQueue: hub().config.temporal.orchestrationTaskQueue,
      args: [{ tenantId: 'alpine', propertyId: hawaii }],
    });
    const closed = await eventually('the audit', async () => {
      const description = await audit.describe();
      return description.status.name === 'COMPLETED' ? description : undefined;
    });
    expect(closed.status.name).toBe('COMPLETED');

    const inHouse = await eventually('the night charged', async () => {
      const view = await stayingHandle.query(getReservationQuery);
      return view.folio.entries.some((e) => e.id === `room:${arrival}`) ? view : undefined;
    });
    expect(inHouse.folio).toMatchObject({ charges: '200.00', tax: '20.00' });
    const noShow = await until(absentHandle, 'no_show');
    expect(noShow.folio.entries).toEqual([
      expect.objectContaining({ id: 'no-show', amount: '200.00', source: 'cancellation' }),
    ]);
    // The fee is invoiced; the card guarantee's payment is awaited, not assumed.
    expect(noShow.accounting?.invoiceId).toEqual(expect.any(String));
    expect(noShow.settlement).toMatchObject({ status: 'open', balance: '200.00' });
    // The absent party's nights are back on sale; the guest in house keeps hers.
    expect(await availabilityOf(hub().sequelize, 'alpine', hawaii, arrival, addDays(arrival, 1))).toEqual([
      expect.objectContaining({ date: arrival, sold: 1, available: 1 }),
      expect.objectContaining({ date: addDays(arrival, 1), sold: 1, available: 1 }),
    ]);
    const [property] = await hub().sequelize.query<{ business_date: string }>(
      `SELECT to_char(business_date, 'YYYY-MM-DD') AS business_date FROM properties WHERE tenant_id = 'alpine' AND id = :id`,
      { replacements: { id: hawaii }, type: QueryTypes.SELECT },
    );
    expect(property!.business_date).toBe(addDays(arrival, 1));
  });
});

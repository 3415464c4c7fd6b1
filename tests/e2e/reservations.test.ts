import { upsertDoublesLodge } from '../support/properties';
import { addDays, localDate, nightsOf } from '../../domain/stays/dates';
import { reservationViewSchema, type ReservationView } from '../../domain/stays/reservation';
import { alpineHeaders, described, eventually, http, uniqueId } from '../support/fixtures';
import { ensureNightAuditSchedules } from '../../intake/schedules';
import { recordHistoryIfAsked } from '../support/histories';
import { startTestHub, type TestHub } from '../support/hub';

const CHANNELS = ['rest', 'booking-engine', 'ota'] as const;

/** Bookings through the API and the reservation workflows, against the real inventory calendar. */
describe('reservations end to end', () => {
  let hub: TestHub;
  let propertyId: string;
  const alpine = alpineHeaders;

  beforeAll(async () => {
    propertyId = uniqueId('lodge');
    // The hotel's outlets (Square) charge rooms of this test's property.
    hub = await startTestHub((config) => {
      config.connectors.find((c) => c.id === 'alpine-square')!.options.propertyId = propertyId;
    });
    await upsertDoublesLodge(hub.services.sequelize, { id: propertyId, rooms: 20, amount: '150.00' });
  });
  afterAll(async () => {
    await hub?.stop();
  });

  const booking = (i: number, first: string) => ({
    channel: CHANNELS[i % 3],
    externalId: uniqueId(`race${i}`),
    propertyId,
    roomTypeId: 'dbl',
    ratePlanId: 'flex',
    arrival: addDays(first, i % 5),
    departure: addDays(first, (i % 5) + 1 + (i % 3)),
    guests: { adults: 2 },
    guest: { name: `Guest ${i}` },
    guarantee: { kind: 'card' },
  });

  /** A restaurant order in the sandbox Square, its order.created webhook delivered `times` times. */
  const charge = async (reference: string, times = 1) => {
    const notificationUrl = hub.services.connectors.find('alpine-square', 'pos')!.options
      .notificationUrl as string;
    const created = await http.post<{ order: { id: string } }>(`${hub.sandboxUrl}/__sandbox/square/orders`, {
      location_id: 'RESTAURANT',
      reference_id: reference,
      line_items: [{ name: 'Dinner', quantity: '2', base_price_money: { amount: 2500, currency: 'EUR' } }],
      taxes: [{ uid: 'vat', name: 'VAT', percentage: '10', scope: 'ORDER' }],
    });
    const sent = await http.post<{ deliveries: Array<{ status: number; body: Record<string, unknown> }> }>(
      `${hub.sandboxUrl}/__sandbox/square/orders/${created.data.order.id}/webhooks`,
      { notificationUrl, deliverTo: `${hub.apiUrl}/webhooks/square/alpine-square`, times },
    );
    return sent.data.deliveries;
  };

  it('sells exactly the 20 rooms a night when 300 overlapping bookings from three channels race', async () => {
    const first = '2027-09-01';
    const requests = Array.from({ length: 300 }, (_, i) => booking(i, first));
    const responses = await Promise.all(
      requests.map((body) =>
        http.post<ReservationView>(`${hub.apiUrl}/v1/reservations`, body, { headers: alpine() }),
      ),
    );
    expect(new Set(responses.map((r) => r.status))).toEqual(new Set([201, 409]));
    const confirmed = responses.filter((r) => r.status === 201).map((r) => r.data);
    expect(confirmed.every((v) => v.status === 'confirmed')).toBe(true);
    const refused = responses.filter((r) => r.status === 409);
    expect(JSON.stringify(refused[0]!.data)).toMatch(/NotAvailable.*is sold out/);

    const calendar = await http.get<{
      days: Array<{ date: string; sold: number; held: number; available: number }>;
    }>(`${hub.apiUrl}/v1/properties/${propertyId}/availability?from=${first}&to=${addDays(first, 8)}`, {
      headers: alpine(),
    });
    expect(calendar.status).toBe(200);
    for (const day of calendar.data.days) {
      const booked = confirmed.filter((v) =>
        nightsOf(v.stay.arrival, v.stay.departure).includes(day.date),
      ).length;
      expect(day.sold).toBe(booked);
      expect(day.sold).toBeLessThanOrEqual(20);
      expect(day.held).toBe(0);
      expect(day.available).toBe(20 - day.sold);
    }
    expect(Math.max(...calendar.data.days.map((d) => d.sold))).toBe(20);
    // Every channel got some of the rooms.
    expect(new Set(confirmed.map((v) => v.channel))).toEqual(new Set(CHANNELS));
  }, 240_000);

  it('answers a booking sent twice with the same reservation, and cancels it by the rate plan', async () => {
    const body = { ...booking(1, '2027-10-01'), externalId: uniqueId('twice') };
    const first = await http.post<ReservationView>(`${hub.apiUrl}/v1/reservations`, body, {
      headers: alpine(),
    });
    const again = await http.post<ReservationView>(`${hub.apiUrl}/v1/reservations`, body, {
      headers: alpine(),
    });
    expect([first.status, again.status]).toEqual([201, 200]);
    expect(again.data.id).toBe(first.data.id);
    const fetched = await http.get<ReservationView>(`${hub.apiUrl}/v1/reservations/${first.data.id}`, {
      headers: alpine(),
    });
    expect(described(reservationViewSchema, fetched.data)).toMatchObject({
      status: 'confirmed',
      totals: { room: '300.00', tax: '30.00', total: '330.00' },
    });
    const cancelled = await http.post<ReservationView>(
      `${hub.apiUrl}/v1/reservations/${first.data.id}/cancel`,
      { reason: 'guest request' },
      { headers: alpine() },
    );
    expect(cancelled.status).toBe(200);
    expect(cancelled.data.cancellation).toMatchObject({ fee: '0.00' });
    await recordHistoryIfAsked(
      hub.services.client,
      `reservation:alpine:${first.data.id}`,
      'reservation-confirmed-cancelled',
    );
    const twice = await http.post(
      `${hub.apiUrl}/v1/reservations/${first.data.id}/cancel`,
      { reason: 'again' },
      { headers: alpine() },
    );
    expect(twice.status).toBe(409);

    const invalid = await http.post(
      `${hub.apiUrl}/v1/reservations`,
      { ...body, externalId: uniqueId('bad'), departure: body.arrival },
      { headers: alpine() },
    );
    // Well-formed dates that make no stay: a rule across fields, 422 with the field named.
    expect(invalid.status).toBe(422);
    expect(JSON.stringify(invalid.data)).toContain('must be after arrival');
  });

  it('moves a booking to other dates in one step, and refuses a move that does not fit with the reason', async () => {
    const body = {
      ...booking(0, '2027-11-10'),
      externalId: uniqueId('move'),
      arrival: '2027-11-10',
      departure: '2027-11-12',
    };
    const booked = await http.post<ReservationView>(`${hub.apiUrl}/v1/reservations`, body, {
      headers: alpine(),
    });
    expect(booked.data.status).toBe('confirmed');
    const modify = (change: Record<string, unknown>) =>
      http.post<ReservationView>(`${hub.apiUrl}/v1/reservations/${booked.data.id}/modify`, change, {
        headers: alpine(),
      });
    const soldOn = async (from: string, to: string) =>
      (
        await http.get<{ days: Array<{ sold: number }> }>(
          `${hub.apiUrl}/v1/properties/${propertyId}/availability?from=${from}&to=${to}`,
          { headers: alpine() },
        )
      ).data.days.map((d) => d.sold);
    const before = await soldOn('2027-11-10', '2027-11-23');

    const moved = await modify({ arrival: '2027-11-20', departure: '2027-11-23' });
    expect(moved.status).toBe(200);
    expect(moved.data).toMatchObject({
      status: 'confirmed',
      stay: { arrival: '2027-11-20', departure: '2027-11-23' },
      nightly: ['150.00', '150.00', '150.00'],
      totals: { room: '450.00', tax: '45.00', total: '495.00' },
    });
    expect(moved.data.timeline.at(-1)?.note).toMatch(
      /^modified: dates 2027-11-10..2027-11-12 → 2027-11-20..2027-11-23/,
    );
    const after = await soldOn('2027-11-10', '2027-11-23');
    // Exactly the old two nights came back and the new three were sold.
    expect(after.map((n, i) => n - before[i]!)).toEqual([-1, -1, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 0]);

    // The night after is closed: extending over it is refused, and nothing moves.
    await hub.services.sequelize.query(
      `UPDATE room_type_calendar SET closed = true WHERE tenant_id = 'alpine' AND property_id = :propertyId AND date = '2027-11-23'`,
      { replacements: { propertyId } },
    );
    const refused = await modify({ departure: '2027-11-24' });
    expect(refused.status).toBe(409);
    expect(JSON.stringify(refused.data)).toContain('2027-11-23 is closed');
    expect(await soldOn('2027-11-10', '2027-11-23')).toEqual(after);
    const crowded = await modify({ guests: { adults: 3 } });
    expect(crowded.status).toBe(409);
    expect(JSON.stringify(crowded.data)).toContain('sleeps at most 2, 3 guests asked');
    expect((await modify({})).status).toBe(422); // nothing to change
    expect((await modify({ departure: '2027-11-20' })).status).toBe(409);

    const view = (
      await http.get<ReservationView>(`${hub.apiUrl}/v1/reservations/${booked.data.id}`, {
        headers: alpine(),
      })
    ).data;
    expect(view.stay).toMatchObject({
      arrival: '2027-11-20',
      departure: '2027-11-23',
      guests: { adults: 2 },
    });
    // The cancellation terms follow the new dates.
    await http.post(
      `${hub.apiUrl}/v1/reservations/${booked.data.id}/cancel`,
      { reason: 'test over' },
      { headers: alpine() },
    );
    expect(await soldOn('2027-11-20', '2027-11-22')).toEqual(before.slice(10, 13));
    const late = await modify({ departure: '2027-11-22' });
    expect(late.status).toBe(409);
    expect(JSON.stringify(late.data)).toContain('is cancelled');
    await recordHistoryIfAsked(
      hub.services.client,
      `reservation:alpine:${booked.data.id}`,
      'reservation-modified-cancelled',
    );
  });

  it('takes an out-of-order room off the calendar for its nights, and puts it back through cleaning', async () => {
    const night = '2027-11-03';
    const availableOn = async (date: string) => {
      const response = await http.get<{ days: Array<{ available: number; outOfOrder: number }> }>(
        `${hub.apiUrl}/v1/properties/${propertyId}/availability?from=${date}&to=${date}`,
        { headers: alpine() },
      );
      return response.data.days[0]!;
    };
    const patch = (number: string, body: Record<string, unknown>) =>
      http.patch(`${hub.apiUrl}/v1/rooms/${propertyId}:${number}/status`, body, { headers: alpine() });

    const broken = await patch('101', {
      status: 'out_of_order',
      reason: 'water damage',
      from: night,
      until: '2027-11-05',
    });
    expect(broken.status).toBe(200);
    expect(broken.data).toMatchObject({
      status: 'out_of_order',
      outOfOrder: { from: night, until: '2027-11-05' },
    });
    expect(await availableOn(night)).toMatchObject({ available: 19, outOfOrder: 1 });
    expect(await availableOn('2027-11-05')).toMatchObject({ available: 20, outOfOrder: 0 });

    // Back in service means cleaning first; an inspection cannot skip it.
    const skipped = await patch('101', { status: 'clean' });
    expect(skipped.status).toBe(409);
    expect(JSON.stringify(skipped.data)).toContain('cannot become clean (next: dirty)');
    expect((await patch('101', { status: 'dirty' })).status).toBe(200);
    expect(await availableOn(night)).toMatchObject({ available: 20, outOfOrder: 0 });
    expect((await patch('101', { status: 'clean' })).status).toBe(200);
    expect((await patch('101', { status: 'inspected' })).status).toBe(200);
    expect((await patch('999', { status: 'dirty' })).status).toBe(404);

    // A night whose every room is sold cannot lose a room to out of order.
    const race = await http.get<{ days: Array<{ date: string; available: number }> }>(
      `${hub.apiUrl}/v1/properties/${propertyId}/availability?from=2027-09-01&to=2027-09-08`,
      { headers: alpine() },
    );
    const fullNight = race.data.days.find((d) => d.available === 0)!.date;
    const full = await patch('102', {
      status: 'out_of_order',
      from: fullNight,
      until: addDays(fullNight, 1),
    });
    expect(full.status).toBe(409);
    expect(JSON.stringify(full.data)).toContain('move a reservation first');
    const rooms = await http.get<{ rooms: Array<{ number: string; status: string }> }>(
      `${hub.apiUrl}/v1/properties/${propertyId}/rooms`,
      { headers: alpine() },
    );
    expect(rooms.data.rooms.find((r) => r.number === '102')?.status).toBe('clean');
  });

  it('checks a guest in with a key, settles the folio and checks out once, to housekeeping and the books', async () => {
    const today = localDate(Date.now(), 'Europe/Vienna');
    const body = {
      ...booking(0, today),
      externalId: uniqueId('stay'),
      arrival: today,
      departure: addDays(today, 2),
      guest: { name: 'Ada Lovelace', email: 'ada@example.com' },
    };
    const booked = await http.post<ReservationView>(`${hub.apiUrl}/v1/reservations`, body, {
      headers: alpine(),
    });
    expect(booked.status).toBe(201);
    const id = booked.data.id;
    const act = (action: string, payload: Record<string, unknown> = {}) =>
      http.post<ReservationView>(`${hub.apiUrl}/v1/reservations/${id}/${action}`, payload, {
        headers: alpine(),
      });
    const before = (await http.get<SandboxStatsWithLocks>(`${hub.sandboxUrl}/__sandbox/stats`)).data;

    const later = await http.post<ReservationView>(
      `${hub.apiUrl}/v1/reservations`,
      { ...body, externalId: uniqueId('later'), arrival: addDays(today, 3), departure: addDays(today, 4) },
      { headers: alpine() },
    );
    const early = await http.post(
      `${hub.apiUrl}/v1/reservations/${later.data.id}/check-in`,
      {},
      { headers: alpine() },
    );
    expect(early.status).toBe(409);
    expect(JSON.stringify(early.data)).toContain(`check-in opens on ${addDays(today, 3)}`);

    const checkedIn = await act('check-in');
    expect(checkedIn.status).toBe(200);
    expect(checkedIn.data).toMatchObject({
      status: 'in_house',
      key: { code: expect.stringMatching(/^\d{8}$/) },
    });
    const room = checkedIn.data.room!;
    const during = (await http.get<SandboxStatsWithLocks>(`${hub.sandboxUrl}/__sandbox/stats`)).data;
    expect(during.locks.active - before.locks.active).toBe(1);

    const unpaid = await act('check-out');
    expect(unpaid.status).toBe(409);
    expect(JSON.stringify(unpaid.data)).toContain('the folio has a balance of 330.00 EUR');
    expect((await act('payments', { amount: '330.00', method: 'card', reference: 'pay-1' })).status).toBe(
      200,
    );
    const again = await act('payments', { amount: '330.00', method: 'card', reference: 'pay-1' });
    expect(again.data.folio).toMatchObject({ payments: '330.00', balance: '-330.00' });

    const out = await act('check-out');
    expect(out.status).toBe(200);
    expect(described(reservationViewSchema, out.data).status).toBe('checked_out');
    expect(out.data.folio).toMatchObject({
      charges: '300.00',
      tax: '30.00',
      payments: '330.00',
      balance: '0.00',
    });
    expect(out.data.key?.revoked).toBe(true);
    expect(out.data.accounting).toMatchObject({ connectorId: 'alpine-xero' });
    expect((await act('check-out')).status).toBe(409);
    await recordHistoryIfAsked(
      hub.services.client,
      `reservation:alpine:${id}`,
      'reservation-checked-out-patches-at-start',
    );

    const after = (await http.get<SandboxStatsWithLocks>(`${hub.sandboxUrl}/__sandbox/stats`)).data;
    expect(after.locks.active).toBe(before.locks.active);
    expect(after.xero.invoices - before.xero.invoices).toBe(1);
    expect(after.xero.payments - before.xero.payments).toBe(1);
    const rooms = await http.get<{ rooms: Array<{ number: string; status: string }> }>(
      `${hub.apiUrl}/v1/properties/${propertyId}/rooms`,
      { headers: alpine() },
    );
    expect(rooms.data.rooms.find((r) => r.number === room)?.status).toBe('dirty');
  });

  it('bills a folio closed with a balance at once and settles it as payments and refunds come', async () => {
    const today = localDate(Date.now(), 'Europe/Vienna');
    const books = async (invoiceId: string) =>
      (
        await http.get<{
          invoice: { Total: number; AmountDue: number };
          payments: Array<{ Amount: number }>;
        }>(`${hub.sandboxUrl}/__sandbox/xero/invoices/${invoiceId}`)
      ).data;
    const reservation = async (externalId: string, arrival: string, nights: number) => {
      const booked = await http.post<ReservationView>(
        `${hub.apiUrl}/v1/reservations`,
        { ...booking(0, arrival), externalId, arrival, departure: addDays(arrival, nights) },
        { headers: alpine() },
      );
      expect(booked.status).toBe(201);
      const act = (action: string, payload: Record<string, unknown> = {}) =>
        http.post<ReservationView>(`${hub.apiUrl}/v1/reservations/${booked.data.id}/${action}`, payload, {
          headers: alpine(),
        });
      const settled = () =>
        eventually('the folio settled', async () => {
          const view = (
            await http.get<ReservationView>(`${hub.apiUrl}/v1/reservations/${booked.data.id}`, {
              headers: alpine(),
            })
          ).data;
          return view.settlement?.status === 'settled' ? view : undefined;
        });
      return { act, settled };
    };

    // A guest leaves with 65.00 of 165.00 unpaid: the invoice goes at once with what was paid.
    const stay = await reservation(uniqueId('owes'), today, 1);
    expect((await stay.act('check-in')).status).toBe(200);
    await stay.act('payments', { amount: '100.00', method: 'card', reference: uniqueId('p') });
    const out = await stay.act('check-out', { allowBalance: true });
    expect(out.status).toBe(200);
    expect(out.data).toMatchObject({
      status: 'checked_out',
      settlement: { status: 'open', balance: '65.00' },
      accounting: { connectorId: 'alpine-xero', paymentIds: [expect.any(String)] },
    });
    const invoiceId = out.data.accounting!.invoiceId;
    expect((await books(invoiceId)).invoice).toMatchObject({ Total: 165, AmountDue: 65 });
    // The rest is paid later: it reaches the books, and the folio is settled.
    expect(
      (await stay.act('payments', { amount: '65.00', method: 'transfer', reference: uniqueId('p') })).status,
    ).toBe(200);
    const paid = await stay.settled();
    expect(paid.folio.balance).toBe('0.00');
    expect(paid.accounting?.paymentIds).toHaveLength(2);
    expect(await books(invoiceId)).toMatchObject({
      invoice: { AmountDue: 0 },
      payments: [{ Amount: 100 }, { Amount: 65 }],
    });
    const closed = await stay.act('payments', { amount: '1.00', method: 'cash', reference: uniqueId('p') });
    expect(closed.status).toBe(409);
    expect(JSON.stringify(closed.data)).toContain('is checked_out');

    // A 330.00 deposit against a 150.00 late-cancellation fee: 150.00 reaches the books, 180.00 goes back.
    const cancelled = await reservation(uniqueId('credit'), today, 2);
    await cancelled.act('payments', { amount: '330.00', method: 'deposit', reference: uniqueId('dep') });
    const fee = await cancelled.act('cancel', { reason: 'cannot travel' });
    expect(fee.data).toMatchObject({
      status: 'cancelled',
      cancellation: { fee: '150.00' },
      settlement: { status: 'open', balance: '-180.00' },
    });
    expect(await books(fee.data.accounting!.invoiceId)).toMatchObject({
      invoice: { Total: 150, AmountDue: 0 },
      payments: [{ Amount: 150 }],
    });
    const tooMuch = await cancelled.act('refunds', { amount: '200.00', reference: uniqueId('r') });
    expect(tooMuch.status).toBe(409);
    expect(JSON.stringify(tooMuch.data)).toContain('in credit by 180.00');
    expect((await cancelled.act('refunds', { amount: '180.00', reference: uniqueId('r') })).status).toBe(200);
    const refunded = await cancelled.settled();
    expect(refunded.folio).toMatchObject({ payments: '330.00', refunds: '180.00', balance: '0.00' });
    await recordHistoryIfAsked(
      hub.services.client,
      `reservation:alpine:${refunded.id}`,
      'reservation-cancelled-fee-refunded',
    );
  });

  it('puts restaurant charges on the folio of the room’s guest once, and keeps those no folio can take', async () => {
    const today = localDate(Date.now(), 'Europe/Vienna');
    const booked = await http.post<ReservationView>(
      `${hub.apiUrl}/v1/reservations`,
      { ...booking(2, today), externalId: uniqueId('pos'), arrival: today, departure: addDays(today, 1) },
      { headers: alpine() },
    );
    const id = booked.data.id;
    const act = (action: string, payload: Record<string, unknown> = {}) =>
      http.post<ReservationView>(`${hub.apiUrl}/v1/reservations/${id}/${action}`, payload, {
        headers: alpine(),
      });
    const room = (await act('check-in')).data.room!;
    const delivered = await charge(`room:${room}`, 2);
    expect(delivered.map((d) => d.status)).toEqual([200, 200]);
    expect(delivered[0]!.body).toMatchObject({ posted: true, reservationId: id });
    const view = (
      await http.get<ReservationView>(`${hub.apiUrl}/v1/reservations/${id}`, { headers: alpine() })
    ).data;
    expect(view.folio.entries.filter((e) => e.source === 'pos')).toEqual([
      expect.objectContaining({ amount: '50.00', tax: '5.00', description: 'POS 2 × Dinner' }),
    ]);

    const nobody = await charge('room:999');
    expect(nobody[0]!.body).toMatchObject({ posted: false, review: 'room 999 has no guest in house' });
    await act('payments', { amount: '220.00', method: 'card', reference: `pay-${id}` });
    const out = await act('check-out');
    expect(out.status).toBe(200);
    expect(out.data.folio).toMatchObject({ charges: '200.00', tax: '20.00', balance: '0.00' });
    const late = await charge(`reservation:${id}`);
    expect(late[0]!.body).toMatchObject({ posted: false });
    expect(String(late[0]!.body.review)).toMatch(/checked out|has ended/);

    const reviews = await http.get<{ charges: Array<{ reason: string }> }>(
      `${hub.apiUrl}/v1/properties/${propertyId}/charge-reviews`,
      { headers: alpine() },
    );
    expect(reviews.status).toBe(200);
    expect(reviews.data.charges.map((c) => c.reason)).toEqual(
      expect.arrayContaining(['room 999 has no guest in house']),
    );
  });

  it('keeps a night-audit schedule per property at 23:50 on the property’s own clock', async () => {
    const ids = await ensureNightAuditSchedules(hub.services.client, hub.config, hub.services.sequelize);
    try {
      expect(ids).toContain(`night-audit:alpine:${propertyId}`);
      const schedule = await hub.services.client.schedule
        .getHandle(`night-audit:alpine:${propertyId}`)
        .describe();
      expect(schedule.spec.timezone).toBe('Europe/Vienna');
      expect(schedule.spec.calendars?.[0]).toMatchObject({ hour: [{ start: 23, end: 23, step: 1 }] });
      expect(schedule.action).toMatchObject({ workflowType: 'nightAudit' });
    } finally {
      // This test drives audits itself; a schedule left behind could fire during another test.
      for (const id of ids) await hub.services.client.schedule.getHandle(id).delete();
    }
  });

  it('reports occupancy, ADR and RevPAR from the calendar, and exports the report as CSV to storage', async () => {
    const [from, to] = ['2027-09-01', '2027-09-08'];
    const calendar = await http.get<{ days: Array<{ date: string; sold: number }> }>(
      `${hub.apiUrl}/v1/properties/${propertyId}/availability?from=${from}&to=${to}`,
      { headers: alpine() },
    );
    const report = await http.get<{
      days: Array<{ date: string; roomsSold: number; revenue: string; adr: string }>;
      total: { roomsSold: number; revenue: string };
    }>(`${hub.apiUrl}/v1/properties/${propertyId}/reports/occupancy?from=${from}&to=${to}`, {
      headers: alpine(),
    });
    expect(report.status).toBe(200);
    // The race sold rooms at the flexible rate of 150.00 a night.
    for (const day of report.data.days) {
      const sold = calendar.data.days.find((d) => d.date === day.date)!.sold;
      expect(day.roomsSold).toBe(sold);
      expect(day.revenue).toBe((sold * 150).toFixed(2));
      expect(day.adr).toBe(sold > 0 ? '150.00' : '0.00');
    }
    expect(report.data.total.roomsSold).toBeGreaterThan(0);

    const exported = await http.post<{ key: string; rows: number }>(
      `${hub.apiUrl}/v1/properties/${propertyId}/reports/occupancy/export?from=${from}&to=${to}`,
      {},
      { headers: alpine() },
    );
    expect(exported.status).toBe(201);
    expect(exported.data).toEqual({
      key: `tenants/alpine/reports/${propertyId}/occupancy-${from}-${to}.csv`,
      rows: 8,
    });
    const csv = (await hub.services.storage.get(exported.data.key)).toString('utf8').trim().split('\n');
    expect(csv).toHaveLength(10);
    expect(csv.at(-1)).toMatch(new RegExp(`^total,\\d+,${report.data.total.roomsSold},`));
    const bad = await http.get(
      `${hub.apiUrl}/v1/properties/${propertyId}/reports/occupancy?from=${to}&to=${from}`,
      {
        headers: alpine(),
      },
    );
    expect(bad.status).toBe(422); // to before from
  });

  // Last in this file: the audit moves the test property's business date to tomorrow.
  it('carries a stay from hold to check-out through a night audit, with outlet charges, key and one posting to the books', async () => {
    const today = localDate(Date.now(), 'Europe/Vienna');
    const tomorrow = addDays(today, 1);
    // A hold without a guarantee, confirmed once the card is given.
    const { guarantee: _none, ...hold } = booking(0, today);
    const booked = await http.post<ReservationView>(
      `${hub.apiUrl}/v1/reservations`,
      { ...hold, externalId: uniqueId('audit'), arrival: today, departure: addDays(today, 2) },
      { headers: alpine() },
    );
    expect(booked.data.status).toBe('held');
    const id = booked.data.id;
    const act = (action: string, payload: Record<string, unknown> = {}) =>
      http.post<ReservationView>(`${hub.apiUrl}/v1/reservations/${id}/${action}`, payload, {
        headers: alpine(),
      });
    const tasks = async (date?: string) =>
      (
        await http.get<{
          tasks: Array<{ room: string; kind: string; businessDate: string; status: string }>;
        }>(`${hub.apiUrl}/v1/properties/${propertyId}/housekeeping${date ? `?date=${date}` : ''}`, {
          headers: alpine(),
        })
      ).data.tasks;
    expect((await act('confirm', { guarantee: { kind: 'card' } })).data.status).toBe('confirmed');
    const before = (await http.get<SandboxStatsWithLocks>(`${hub.sandboxUrl}/__sandbox/stats`)).data;
    const room = (await act('check-in')).data.room!;
    const during = (await http.get<SandboxStatsWithLocks>(`${hub.sandboxUrl}/__sandbox/stats`)).data;
    expect(during.locks.active).toBe(before.locks.active + 1);
    // Dinner at the restaurant, its webhook delivered twice, on the folio once.
    const dinner = await charge(`room:${room}`, 2);
    expect(dinner.map((d) => d.status)).toEqual([200, 200]);
    expect(dinner[0]!.body).toMatchObject({ posted: true, reservationId: id });

    const audit = await http.post(
      `${hub.apiUrl}/v1/properties/${propertyId}/night-audit`,
      {},
      { headers: alpine() },
    );
    expect(audit.status).toBe(200);
    expect(audit.data).toMatchObject({ businessDate: today });
    const charged = await eventually('the night charged', async () => {
      const view = (
        await http.get<ReservationView>(`${hub.apiUrl}/v1/reservations/${id}`, { headers: alpine() })
      ).data;
      return view.folio.entries.some((e) => e.id === `room:${today}`) ? view : undefined;
    });
    expect(charged.folio).toMatchObject({ charges: '200.00', tax: '20.00', balance: '220.00' });
    // Today is closed: asking again closes nothing more.
    const again = await http.post(
      `${hub.apiUrl}/v1/properties/${propertyId}/night-audit`,
      {},
      { headers: alpine() },
    );
    expect(again.status).toBe(409);
    expect(JSON.stringify(again.data)).toContain(`business date ${tomorrow} has not begun`);

    // The guest stays on: the room needs its stay-over service on the new business date.
    expect(await tasks(tomorrow)).toEqual(
      expect.arrayContaining([expect.objectContaining({ room, kind: 'stay_over', status: 'open' })]),
    );
    const cleaned = await http.patch(
      `${hub.apiUrl}/v1/rooms/${propertyId}:${room}/status`,
      { status: 'clean' },
      { headers: alpine() },
    );
    expect(cleaned.status).toBe(200);
    expect((await tasks(tomorrow)).find((t) => t.room === room && t.kind === 'stay_over')?.status).toBe(
      'done',
    );

    // Check-out charges only the night still open, and the bill reaches the books once.
    await act('payments', { amount: '385.00', method: 'card', reference: uniqueId('pay') });
    const out = await act('check-out');
    expect(out.status).toBe(200);
    expect(out.data.folio).toMatchObject({ charges: '350.00', tax: '35.00', balance: '0.00' });
    expect(out.data.key?.revoked).toBe(true);
    expect(out.data.folio.entries.filter((e) => e.source === 'room').map((e) => e.id)).toEqual([
      `room:${today}`,
      `room:${tomorrow}`,
    ]);
    const after = (await http.get<SandboxStatsWithLocks>(`${hub.sandboxUrl}/__sandbox/stats`)).data;
    expect(after.xero.invoices - before.xero.invoices).toBe(1);
    expect(after.xero.payments - before.xero.payments).toBe(1);
    expect(after.locks.active).toBe(before.locks.active);
    // The room is dirty again, with a departure clean on the business date.
    expect(await tasks()).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ room, kind: 'departure', businessDate: tomorrow, status: 'open' }),
      ]),
    );
    await recordHistoryIfAsked(
      hub.services.client,
      `reservation:alpine:${id}`,
      'reservation-audited-checked-out',
    );
  });
});

interface SandboxStatsWithLocks {
  locks: { keys: number; active: number };
  xero: { invoices: number; payments: number };
}

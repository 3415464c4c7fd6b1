import type { Request } from 'express';
import type { Sequelize } from 'sequelize';
import { z } from 'zod';
import { chargeReviewsOf, housekeepingTasksOf, setRoomStatus } from '../../db/rooms';
import { availabilityOf } from '../../db/stays/calendar';
import { changeRatesAndRestrictions } from '../../db/stays/rates';
import { occupancyInputs } from '../../db/stays/reports';
import { propertyOf } from '../../db/stays/properties';
import { occupancyCsv, occupancyReport } from '../../domain/stays/reports';
import { BusinessRuleViolation } from '../../domain/shared/errors';
import { ROOM_STATUSES } from '../../domain/stays/housekeeping';
import { moneySchema } from '../../domain/shared/money';
import { calendarDateSchema, daysBetween, isCalendarDate, isDayRange } from '../../domain/stays/dates';
import { reservationRequestSchema, stayChangeSchema } from '../../domain/stays/validation';
import { reservationViewSchema } from '../../domain/stays/reservation';
import { runNightAudit } from '../../intake/night-audit';
import { releaseChargeReview } from '../../intake/room-charges';
import { chargeReleaseSchema } from '../schemas';
import * as stayContract from '../../workflows/stays/contract';
import { reasonSchema } from '../../workflows/shared/contract';
import type { TenantLocals, TenantResponse } from '../auth';
import { sendError } from '../errors';
import { onFound } from '../path-target';
import { ApiRoutes, type RouterServices } from '../route-registry';
import {
  dateRangeParameters,
  decimalAmount,
  errorResponse,
  inputSchema,
  jsonResponse,
  pathParameter,
  queryParameter,
  viewSchema,
} from '../openapi-parts';
import { processRoutes } from '../workflow-actions';
import { reportRoutes } from '../report-routes';

const RESERVATION = viewSchema('Reservation', reservationViewSchema);

/** The range a property's calendar figures cover, and why a request for them can be refused. */
const DATE_RANGE = dateRangeParameters(inputSchema(calendarDateSchema));
const PROPERTY_RANGE_REFUSALS = {
  '400': errorResponse('A date is not YYYY-MM-DD'),
  '422': errorResponse('to before from, or more than 366 days'),
  '404': errorResponse('No such property'),
};

const count = z.number().int().nonnegative();
const propertySchema = z.object({
  id: z.string(),
  name: z.string(),
  timeZone: z.string(),
  currency: z.string(),
});
const AVAILABILITY = viewSchema(
  'Availability',
  z.object({
    property: propertySchema,
    from: calendarDateSchema,
    to: calendarDateSchema,
    days: z.array(
      z.object({
        roomTypeId: z.string(),
        date: calendarDateSchema,
        physical: count,
        outOfOrder: count,
        sold: count,
        held: count,
        available: count,
        closed: z.boolean(),
        closedToArrival: z.boolean(),
        closedToDeparture: z.boolean(),
        minLos: count.nullable(),
        maxLos: count.nullable(),
      }),
    ),
  }),
);
const occupancyFigures = {
  roomsAvailable: count,
  roomsSold: count,
  occupancy: z
    .string()
    .regex(/^\d+\.\d$/)
    .describe('percent, one decimal'),
  revenue: decimalAmount(),
  adr: decimalAmount().describe('average daily rate: revenue per room sold'),
  revpar: decimalAmount().describe('revenue per room available'),
};
const OCCUPANCY = viewSchema(
  'OccupancyReport',
  z.object({
    property: propertySchema,
    from: calendarDateSchema,
    to: calendarDateSchema,
    currency: z.string(),
    days: z.array(z.object({ date: calendarDateSchema, ...occupancyFigures })),
    total: z.object(occupancyFigures),
  }),
);
const RATES_CHANGED = viewSchema(
  'RatesChanged',
  z.object({
    propertyId: z.string(),
    roomTypeId: z.string(),
    from: calendarDateSchema,
    to: calendarDateSchema,
    nights: count,
  }),
);
const CHARGE_REVIEWS = viewSchema(
  'ChargeReviews',
  z.object({
    charges: z.array(
      z.object({
        chargeId: z.string(),
        reason: z.string().describe('why no folio took it'),
        charge: z.record(z.string(), z.unknown()).describe('the charge as the POS sent it'),
        receivedAt: z.iso.datetime({ offset: true }),
      }),
    ),
  }),
);
const CHARGE_RELEASED = viewSchema(
  'ChargeReleased',
  z.object({ chargeId: z.string(), reservationId: z.string(), folio: reservationViewSchema.shape.folio }),
);
const HOUSEKEEPING = viewSchema(
  'HousekeepingTasks',
  z.object({
    propertyId: z.string(),
    date: calendarDateSchema.optional(),
    status: z.literal('open').optional().describe('every open task, when no date was asked for'),
    tasks: z.array(
      z.object({
        id: z.string(),
        room: z.string(),
        kind: z.enum(['departure', 'stay_over']),
        businessDate: calendarDateSchema,
        reservationKey: z.string().nullable(),
        status: z.enum(['open', 'done']),
        doneAt: z.iso.datetime({ offset: true }).nullable(),
      }),
    ),
  }),
);
const NIGHT_AUDIT = viewSchema(
  'NightAudit',
  z.object({ businessDate: calendarDateSchema, inHouse: count, expected: count }),
);
const ROOM = viewSchema(
  'Room',
  z.object({
    propertyId: z.string(),
    number: z.string(),
    roomTypeId: z.string(),
    status: z.enum(ROOM_STATUSES),
    reason: z.string().nullable(),
    outOfOrder: z.object({ from: calendarDateSchema, until: calendarDateSchema }).nullable(),
  }),
);

export const roomStatusSchema = z
  .object({
    status: z.enum(ROOM_STATUSES),
    reason: z.string().trim().max(300).optional(),
    from: calendarDateSchema.optional(),
    until: calendarDateSchema.optional(),
  })
  .strict();

const losSchema = z.number().int().min(1).max(365).nullable();
export const ratesAndRestrictionsSchema = z
  .object({
    roomTypeId: z.string().min(1).max(64),
    from: calendarDateSchema,
    to: calendarDateSchema,
    ratePlanId: z.string().min(1).max(64).optional(),
    amount: moneySchema('120.00').optional(),
    closed: z.boolean().optional(),
    closedToArrival: z.boolean().optional(),
    closedToDeparture: z.boolean().optional(),
    minLos: losSchema.optional(),
    maxLos: losSchema.optional(),
  })
  .strict()
  .refine((c) => c.from <= c.to && daysBetween(c.from, c.to) < 731, {
    message: 'from must be on or before to, at most two years apart',
    path: ['to'],
  })
  .refine((c) => (c.amount === undefined) === (c.ratePlanId === undefined), {
    message: 'an amount needs its ratePlanId, and a ratePlanId an amount',
    path: ['amount'],
  })
  .refine(
    (c) =>
      ['amount', 'closed', 'closedToArrival', 'closedToDeparture', 'minLos', 'maxLos'].some((k) => k in c),
    'name at least one of amount, closed, closedToArrival, closedToDeparture, minLos, maxLos',
  )
  // The two rules the document can say too (the date range it cannot: that one answers 422).
  .meta({
    dependentRequired: { amount: ['ratePlanId'], ratePlanId: ['amount'] },
    anyOf: ['amount', 'closed', 'closedToArrival', 'closedToDeparture', 'minLos', 'maxLos'].map((k) => ({
      required: [k],
    })),
  });

export function staysRouter(
  deps: RouterServices<'client' | 'config' | 'sequelize' | 'reservations' | 'storage'>,
): ApiRoutes<TenantLocals> {
  const router = new ApiRoutes<TenantLocals>();

  /** The property the path names, or undefined after answering 404. */
  async function propertyIn(req: Request, res: TenantResponse) {
    const property = await propertyOf(deps.sequelize, res.locals.tenant.id, String(req.params.id));
    if (!property) sendError(res, 404, 'not_found', `no property ${String(req.params.id)}`);
    return property;
  }

  /** A date range from the query (at most 366 days), or undefined after answering 400. */
  function rangeOf(req: Request, res: TenantResponse): { from: string; to: string } | undefined {
    const from = String(req.query.from ?? '');
    const to = String(req.query.to ?? '');
    if (!isCalendarDate(from) || !isCalendarDate(to)) {
      sendError(res, 400, 'invalid_range', 'from and to must be dates YYYY-MM-DD');
      return undefined;
    }
    // Well-formed dates that do not make a range: a rule across the two (422).
    if (!isDayRange(from, to)) {
      sendError(res, 422, 'invalid_range', 'to must be on or after from, at most 366 days');
      return undefined;
    }
    return { from, to };
  }

  /**
   * The property and date range the request names, with `read`'s figures of them, or undefined
   * after answering 404 (no such property), 400 or 422 (no range).
   */
  async function overPropertyRange<T>(
    req: Request,
    res: TenantResponse,
    read: (
      sequelize: Sequelize,
      tenantId: string,
      propertyId: string,
      from: string,
      to: string,
    ) => Promise<T>,
  ) {
    const property = await propertyIn(req, res);
    if (!property) return undefined;
    const range = rangeOf(req, res);
    if (!range) return undefined;
    const figures = await read(deps.sequelize, res.locals.tenant.id, property.id, range.from, range.to);
    return { property, ...range, figures };
  }

  /** What can be sold per room type and date, with restrictions, from the inventory calendar. */
  router.get(
    '/v1/properties/:id/availability',
    {
      summary: 'Rooms sellable per room type and date, with restrictions',
      parameters: DATE_RANGE,
      responses: {
        '200': jsonResponse(
          'physical, out of order, sold, held, available, restrictions per day',
          AVAILABILITY,
        ),
        ...PROPERTY_RANGE_REFUSALS,
      },
    },
    async (req, res: TenantResponse) => {
      const asked = await overPropertyRange(req, res, availabilityOf);
      if (!asked) return;
      res.json({ property: asked.property, from: asked.from, to: asked.to, days: asked.figures });
    },
  );

  /**
   * Occupancy, ADR and RevPAR per date and for the range; `?format=csv` answers CSV, and the same
   * report goes to storage as a CSV file under the tenant's prefix.
   */
  reportRoutes(router, deps, {
    path: '/v1/properties/:id/reports/occupancy',
    summary: 'Occupancy, ADR and RevPAR per date and for the range (`format=csv` for CSV)',
    parameters: DATE_RANGE,
    format: queryParameter('format', { type: 'string', enum: ['json', 'csv'] }),
    answer: { description: 'The report (CSV with format=csv)', schema: OCCUPANCY },
    refusals: PROPERTY_RANGE_REFUSALS,
    export: {
      summary: 'Write the occupancy report as CSV to storage; answers its key',
      description: 'Key of the CSV object and its number of dates',
    },
    read: async (req, res) => {
      const asked = await overPropertyRange(req, res, occupancyInputs);
      if (!asked) return undefined;
      const { figures, ...propertyAndRange } = asked;
      return {
        report: { ...propertyAndRange, occupancy: occupancyReport(figures) },
        csv: req.query.format === 'csv',
      };
    },
    json: (report) => ({
      property: report.property,
      from: report.from,
      to: report.to,
      currency: report.property.currency,
      ...report.occupancy,
    }),
    csv: (report) => occupancyCsv(report.occupancy),
    file: (report) => ({
      name: `${report.property.id}/occupancy-${report.from}-${report.to}.csv`,
      rows: report.occupancy.days.length,
    }),
  });

  /**
   * Rates and restrictions of a room type over a range of nights (a revenue manager's change):
   * one transaction, and every channel of the property is told of it.
   */
  router.put(
    '/v1/properties/:id/rates',
    {
      summary: 'Change a room type’s rates and restrictions over a range of nights; every channel is told',
      body: { schema: ratesAndRestrictionsSchema, name: 'RatesAndRestrictions', refused: 'invalid_rates' },
      responses: {
        '200': jsonResponse('The change and the number of nights', RATES_CHANGED),
        '422': errorResponse('from after to, or more than two years apart'),
        '404': errorResponse('No such property, room type or rate plan'),
      },
    },
    onFound(propertyIn, async (property, req, res) => {
      try {
        const nights = await changeRatesAndRestrictions(deps.sequelize, {
          tenantId: res.locals.tenant.id,
          propertyId: property.id,
          ...res.locals.body,
        });
        res.json({ propertyId: property.id, ...res.locals.body, nights });
      } catch (error) {
        if (!(error instanceof BusinessRuleViolation)) throw error;
        return sendError(res, 404, 'not_found', error.message, error.reasons);
      }
    }),
  );

  /** POS charges no folio could take (unknown room, guest gone), with the reason, for a person to settle. */
  router.get(
    '/v1/properties/:id/charge-reviews',
    {
      summary: 'POS charges kept for review: they could not go on a folio (unknown room, guest gone)',
      responses: {
        '200': jsonResponse('The charges, each with why it was kept', CHARGE_REVIEWS),
        '404': errorResponse('No such property'),
      },
    },
    onFound(propertyIn, async (property, req, res) => {
      res.json({ charges: await chargeReviewsOf(deps.sequelize, res.locals.tenant.id, property.id) });
    }),
  );

  /** A person's decision on a kept charge: post it to the folio of the reservation they name. */
  router.post(
    '/v1/properties/:id/charge-reviews/:chargeId/release',
    {
      summary:
        "Post a charge kept for review to the folio of the reservation a person names (the stay's Update postCharge)",
      body: { schema: chargeReleaseSchema, refused: 'invalid_release' },
      responses: {
        '200': jsonResponse('On the folio; the review is closed', CHARGE_RELEASED),
        '400': errorResponse('Invalid body, with the fields named'),
        '404': errorResponse('No such property, charge under review or open reservation'),
        '409': errorResponse(
          'The reservation refused the charge (guest not in house, another property), with the reason',
        ),
      },
    },
    onFound(propertyIn, async (property, req, res) => {
      const ref = {
        tenantId: res.locals.tenant.id,
        propertyId: property.id,
        chargeId: String(req.params.chargeId),
      };
      const outcome = await releaseChargeReview(deps, ref, res.locals.body.reservationId);
      if (outcome.released)
        return res.json({
          chargeId: ref.chargeId,
          reservationId: outcome.view.id,
          folio: outcome.view.folio,
        });
      if ('notFound' in outcome) return sendError(res, 404, 'not_found', outcome.notFound);
      return sendError(res, 409, 'charge_refused', outcome.refused);
    }),
  );

  /** Housekeeping: dirty → clean → inspected, or out of service / out of order (off the calendar). */
  /** Housekeeping tasks of a business date (`?date=`), or every open one. */
  router.get(
    '/v1/properties/:id/housekeeping',
    {
      summary:
        'Housekeeping tasks (departure cleans, stay-over services) of a business date, or every open one',
      parameters: [queryParameter('date', inputSchema(calendarDateSchema))],
      responses: {
        '200': jsonResponse('The tasks', HOUSEKEEPING),
        '400': errorResponse('Invalid date'),
        '404': errorResponse('No such property'),
      },
    },
    async (req, res: TenantResponse) => {
      const date = req.query.date === undefined ? undefined : String(req.query.date);
      if (date !== undefined && !isCalendarDate(date))
        return sendError(res, 400, 'invalid_date', 'date must be a calendar date YYYY-MM-DD');
      const property = await propertyIn(req, res);
      if (!property) return;
      res.json({
        propertyId: property.id,
        ...(date ? { date } : { status: 'open' }),
        tasks: await housekeepingTasksOf(deps.sequelize, res.locals.tenant.id, property.id, date),
      });
    },
  );

  /** Closes the property's business date now, as the 23:50 schedule would: one run per date. */
  router.post(
    '/v1/properties/:id/night-audit',
    {
      summary: 'Run the night audit now: charge the night, mark no-shows, open the next business date',
      responses: {
        '200': jsonResponse(
          'The closed business date with the stays charged and arrivals expected',
          NIGHT_AUDIT,
        ),
        '404': errorResponse('No such property'),
        '409': errorResponse('The business date has not begun at the property'),
      },
    },
    onFound(propertyIn, async (property, req, res) => {
      const result = await runNightAudit(deps.client, deps.config, deps.sequelize, {
        tenantId: res.locals.tenant.id,
        propertyId: property.id,
      });
      if (result.skipped)
        return sendError(
          res,
          409,
          'audit_refused',
          `business date ${result.businessDate} has not begun at the property; today was closed already`,
        );
      res.json(result);
    }),
  );

  router.patch(
    '/v1/rooms/:id/status',
    {
      summary: 'Housekeeping: dirty → clean → inspected, out of service, out of order (off the calendar)',
      parameters: [pathParameter('id', { description: '`<propertyId>:<room number>`' })],
      body: { schema: roomStatusSchema, name: 'RoomStatus', refused: 'invalid_status' },
      responses: {
        '200': jsonResponse('The room after the change', ROOM),
        '404': errorResponse('No such room'),
        '409': errorResponse('Not a permitted change, or every room of the type is taken on those nights'),
      },
    },
    async (req, res) => {
      const id = String(req.params.id);
      const separator = id.lastIndexOf(':');
      if (separator < 1)
        return sendError(res, 404, 'not_found', `no room ${id} (rooms are <propertyId>:<number>)`);
      try {
        res.json(
          await setRoomStatus(deps.sequelize, {
            tenantId: res.locals.tenant.id,
            propertyId: id.slice(0, separator),
            number: id.slice(separator + 1),
            ...res.locals.body,
          }),
        );
      } catch (error) {
        if (!(error instanceof BusinessRuleViolation)) throw error;
        if (error.type === 'UnknownRoom') return sendError(res, 404, 'not_found', `no room ${id}`);
        return sendError(res, 409, 'status_refused', error.message, error.reasons);
      }
    },
  );

  /**
   * Books a stay. The nights are held at once, atomically, or the booking is refused with the
   * reasons (409); with a guarantee it is confirmed, without one it is a hold that expires.
   */
  router.post(
    '/v1/reservations',
    {
      summary: 'Book a stay: every night held at once, confirmed with a guarantee',
      description:
        'The same channel and externalId again returns the existing reservation. Without a guarantee the booking is a hold that expires.',
      body: { schema: reservationRequestSchema, name: 'ReservationRequest', refused: 'invalid_reservation' },
      responses: {
        '201': jsonResponse('Held, or confirmed when a guarantee came with it', RESERVATION),
        '200': jsonResponse('Already booked (duplicate)', RESERVATION),
        '400': errorResponse('Invalid booking, with the reasons'),
        '404': errorResponse('No such property'),
        '422': errorResponse('The dates do not make a stay (departure after arrival, at most 30 nights)'),
        '409': errorResponse('Not bookable (sold out, restriction, too many guests), with the reasons'),
      },
    },
    async (req, res) => {
      const tenant = res.locals.tenant;
      if (!(await propertyOf(deps.sequelize, tenant.id, res.locals.body.propertyId)))
        return sendError(res, 404, 'not_found', `no property ${res.locals.body.propertyId}`);
      const { view, duplicate } = await deps.reservations.book(tenant, res.locals.body);
      if (view.status === 'rejected')
        return sendError(
          res,
          409,
          'not_bookable',
          view.rejection?.type ?? 'refused',
          view.rejection?.reasons,
        );
      if (duplicate) return res.status(200).json(view);
      res.status(201).location(`/v1/reservations/${view.id}`).json(view);
    },
  );

  function handleOf(req: Request, res: TenantResponse) {
    const handle = deps.reservations.handle(res.locals.tenant.id, String(req.params.id));
    if (!handle) sendError(res, 404, 'not_found', `no reservation ${String(req.params.id)}`);
    return handle;
  }

  processRoutes(
    router,
    {
      base: '/v1/reservations',
      what: 'reservation',
      query: stayContract.getReservationQuery,
      view: RESERVATION,
      handleOf,
    },
    { summary: 'A reservation with its nights, totals and timeline' },
    {
      confirm: {
        summary: 'Confirm a held reservation with a deposit or guarantee',
        body: { name: 'ConfirmReservation', schema: stayContract.confirmReservationSchema },
        update: stayContract.confirmReservationUpdate,
      },
      'check-in': {
        summary: 'Check in on or after arrival day: a clean or inspected room (given or assigned) and a key',
        body: { name: 'CheckIn', schema: stayContract.checkInSchema },
        update: stayContract.checkInUpdate,
      },
      'check-out': {
        summary:
          'Check out: every night charged, balance zero unless allowBalance, key revoked, room dirty, invoiced',
        body: { name: 'CheckOut', schema: stayContract.checkOutSchema },
        update: stayContract.checkOutUpdate,
      },
      payments: {
        summary: 'Take a payment onto the folio (the same reference again changes nothing)',
        body: { name: 'Payment', schema: stayContract.paymentSchema },
        update: stayContract.addPaymentUpdate,
      },
      refunds: {
        summary: 'Record money given back from a folio in credit (never more than the credit)',
        body: { name: 'Refund', schema: stayContract.refundSchema },
        update: stayContract.addRefundUpdate,
      },
      modify: {
        summary:
          'Change dates, room type, rate plan or party; the nights move in one transaction or the change is refused',
        body: { name: 'ModifyReservation', schema: stayChangeSchema },
        update: stayContract.modifyReservationUpdate,
      },
      reaccommodate: {
        summary:
          'Place an overbooked reservation: its nights are taken now (its own room type, or another with one of its rate plans) and it is confirmed with the guarantee it came with',
        body: { name: 'ReaccommodateReservation', schema: stayContract.reaccommodateSchema },
        update: stayContract.reaccommodateReservationUpdate,
      },
      cancel: {
        summary: 'Cancel; the rate plan decides the fee by the property’s calendar',
        body: { name: 'Reason', schema: reasonSchema() },
        update: stayContract.cancelReservationUpdate,
      },
    },
  );

  return router;
}

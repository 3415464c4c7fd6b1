import { z } from 'zod';
import { scopeOf } from './scopes';
import { EVENT_TYPES } from '../domain/events';
import { redeliverBodySchema } from './routes/events';
import { catalogueImportBodySchema } from '../domain/master-data/catalogue-import';
import { canonicalOrderSchema, SKU_PATTERN } from '../domain/orders/order';
import { CODE_PATTERN } from '../domain/master-data/common';
import { masterDataDocument } from './openapi-master-data';
import { chargeReleaseSchema, stockChangeSchema } from './schemas';
import { editRequestSchema } from '../workflows/orders/contract';
import { approveReturnSchema, receiveReturnSchema, returnRequestSchema } from '../workflows/returns/contract';
import { reasonSchema } from '../workflows/shared/contract';
import * as stayContract from '../workflows/stays/contract';
import { returnViewSchema } from '../domain/returns/return';
import { reservationViewSchema } from '../domain/stays/reservation';
import { reservationRequestSchema, stayChangeSchema } from '../domain/stays/validation';
import { ratesAndRestrictionsSchema, roomStatusSchema } from './routes/stays';
import { ORDER_STATUSES, orderViewSchema } from '../domain/orders/status';
import { ORDER_REPORT_GROUPS } from '../domain/orders/report';
import { calendarDateSchema } from '../domain/stays/dates';

const errorSchema = {
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message'],
      properties: { code: { type: 'string' }, message: { type: 'string' }, details: {} },
    },
  },
};

/**
 * The OpenAPI 3.1 document. Request bodies come from the same zod schemas that validate them,
 * so the document cannot drift from what the API accepts.
 */
export function openApiDocument(): Record<string, unknown> {
  const masterData = masterDataDocument();
  const document = baseDocument(masterData.schemas);
  mergePaths(document.paths as Record<string, unknown>, masterData.paths);
  withAccessResponses(document.paths as Record<string, Record<string, Operation>>);
  nonEmptyQueryStrings(document.paths as Record<string, Record<string, { parameters?: unknown[] }>>);
  patternsOverFormats(document);
  return document;
}

/** The canonical order as POST /v1/orders takes it: `channel` may be left out (then `rest`). */
function restOrderBody(order: Record<string, unknown>): Record<string, unknown> {
  const required = (order.required as string[] | undefined)?.filter((field) => field !== 'channel');
  const properties = order.properties as Record<string, Record<string, unknown>>;
  return {
    ...order,
    required,
    properties: { ...properties, channel: { ...properties.channel, default: 'rest' } },
  };
}

/**
 * Where a field has both, its pattern (the very regex the API checks with) is the contract, not
 * the `email` format, which validators read differently from one another.
 */
function patternsOverFormats(node: unknown): void {
  if (Array.isArray(node)) return node.forEach(patternsOverFormats);
  if (!node || typeof node !== 'object') return;
  const schema = node as Record<string, unknown>;
  if (schema.format === 'email' && typeof schema.pattern === 'string') delete schema.format;
  Object.values(schema).forEach(patternsOverFormats);
}

/** The schema with every `additionalProperties: false` lifted (responses may carry more). */
function openObjects<T>(node: T): T {
  if (Array.isArray(node)) return node.map(openObjects) as T;
  if (!node || typeof node !== 'object') return node;
  return Object.fromEntries(
    Object.entries(node)
      .filter(([key, value]) => !(key === 'additionalProperties' && value === false))
      .map(([key, value]) => [key, openObjects(value)]),
  ) as T;
}

interface Parameter {
  in?: string;
  schema?: { type?: string; enum?: unknown[]; format?: string; minLength?: number };
}

/**
 * A query parameter sent empty (`?location=`) is refused like any malformed value: the document
 * says so (`minLength: 1`) for every free string a query takes.
 */
function nonEmptyQueryStrings(
  paths: Record<string, Record<string, { parameters?: unknown[]; responses?: Record<string, unknown> }>>,
): void {
  for (const [path, operations] of Object.entries(paths))
    for (const [key, operation] of Object.entries(operations)) {
      const parameters = (key === 'parameters' ? operation : operation.parameters) as Parameter[] | undefined;
      const queries = (Array.isArray(parameters) ? parameters : []).filter((p) => p.in === 'query');
      for (const { schema } of queries)
        if (schema?.type === 'string' && !schema.enum && !schema.format) schema.minLength ??= 1;
      // Any REST operation with a query answers 400 for a malformed one (an empty one included).
      if (queries.length > 0 && path.startsWith('/v1/') && operation.responses)
        operation.responses['400'] ??= {
          description: 'Invalid query parameter, named',
          content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
        };
    }
}

const HTTP_METHODS = new Set(['get', 'put', 'post', 'delete', 'patch', 'head', 'options']);

interface Operation {
  description?: string;
  responses: Record<string, unknown>;
}

/**
 * Every REST operation answers 401 without a known key and 403 when the key lacks the scope the
 * operation needs (`api/scopes.ts`, named in its description).
 */
function withAccessResponses(paths: Record<string, Record<string, Operation>>): void {
  const error = (description: string) => ({
    description,
    content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
  });
  for (const [path, operations] of Object.entries(paths)) {
    if (!path.startsWith('/v1/')) continue;
    for (const [method, operation] of Object.entries(operations)) {
      if (!HTTP_METHODS.has(method)) continue; // a path's shared `parameters`
      const scope = scopeOf(method.toUpperCase(), path.replace(/\{(\w+)\}/g, 'x-$1'));
      operation.description = [
        operation.description,
        `Needs an API key with the scope \`${scope}\` (or \`admin\`).`,
      ]
        .filter(Boolean)
        .join('\n\n');
      operation.responses['401'] ??= error('Missing or unknown API key');
      operation.responses['403'] = error(`The API key lacks the scope "${scope}"`);
    }
  }
}

function baseDocument(extraSchemas: Record<string, unknown>): Record<string, unknown> {
  // A view as the API answers it (the Query's result): its output form, as the process builds it,
  // open to fields a later version adds (a process started earlier answers with the fields it had).
  const viewSchema = (zod: z.ZodType) => {
    const json = z.toJSONSchema(zod, { io: 'output', unrepresentable: 'any' });
    delete (json as { $schema?: string }).$schema;
    return openObjects(json);
  };
  const schema = (zod: z.ZodType) => {
    const json = z.toJSONSchema(zod, { io: 'input', unrepresentable: 'any' });
    delete (json as { $schema?: string }).$schema;
    return json;
  };
  // The REST body's channel is `rest` unless it says otherwise.
  const orderInput = restOrderBody(schema(canonicalOrderSchema));
  const idParameter = {
    name: 'id',
    in: 'path',
    required: true,
    schema: { type: 'string' },
    description: '`channel:externalId`, e.g. `rest:1001` or `shopify:450789469`',
  };
  const orderResponse = (description: string) => ({
    description,
    content: { 'application/json': { schema: { $ref: '#/components/schemas/Order' } } },
  });
  const webhook = (summary: string, signature: string) => ({
    post: {
      summary,
      security: [],
      description: `Authenticated by ${signature} over the raw body; deduplicated by the partner's delivery id.`,
      parameters: [{ name: 'connectorId', in: 'path', required: true, schema: { type: 'string' } }],
      responses: {
        '200': { description: 'Handled (or a duplicate of a delivery already handled)' },
        '401': errorResponse('Signature does not match'),
        '404': errorResponse('No such connector'),
      },
    },
  });
  const errorResponse = (description: string) => ({
    description,
    content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
  });
  const pathId = { name: 'id', in: 'path', required: true, schema: { type: 'string' } };
  const returnResponse = (description: string) => ({
    description,
    content: { 'application/json': { schema: { $ref: '#/components/schemas/Return' } } },
  });
  const reservationResponse = (description: string) => ({
    description,
    content: { 'application/json': { schema: { $ref: '#/components/schemas/Reservation' } } },
  });
  const orderReportParameters = [
    { name: 'from', in: 'query', required: true, schema: schema(calendarDateSchema) },
    { name: 'to', in: 'query', required: true, schema: schema(calendarDateSchema) },
    {
      name: 'groupBy',
      in: 'query',
      schema: { type: 'string', enum: [...ORDER_REPORT_GROUPS], default: 'day' },
    },
    { name: 'format', in: 'query', schema: { type: 'string', enum: ['json', 'csv'], default: 'json' } },
  ];
  const processAction = (
    summary: string,
    body: string,
    answer: (description: string) => Record<string, unknown>,
  ) => ({
    post: {
      summary,
      parameters: [pathId],
      requestBody: {
        required: true,
        content: { 'application/json': { schema: { $ref: `#/components/schemas/${body}` } } },
      },
      responses: {
        '200': answer('After the action'),
        '400': errorResponse('Invalid request body'),
        '404': errorResponse('Not found'),
        '409': errorResponse('Not possible in this state, with the reason'),
        '422': errorResponse('A rule across fields refused it (a departure before its arrival…), named'),
      },
    },
  });
  return {
    openapi: '3.1.0',
    info: {
      title: 'Crossdock API',
      version: '0.1.0',
      description:
        'Integration hub for commerce orders and hotel reservations. Every call is scoped to the tenant of its API key. Errors are `{error: {code, message, details[{path, message}]}}`: 400 a malformed request (each field named; an empty or repeated query parameter included), 422 a well-formed one a rule across its fields refuses (a departure before its arrival), 404 nothing of that id for this tenant, 409 the state refuses it (with the reason), 412 a precondition header does not hold, 405 (with `Allow`) a method the path does not take.',
    },
    components: {
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', description: 'Tenant API key' },
        apiKey: { type: 'apiKey', in: 'header', name: 'X-Api-Key' },
      },
      schemas: {
        ...extraSchemas,
        CanonicalOrder: orderInput,
        Reason: schema(reasonSchema),
        EditRequest: schema(editRequestSchema),
        StockChange: schema(stockChangeSchema),
        CatalogueImport: schema(catalogueImportBodySchema),
        ReturnRequest: schema(returnRequestSchema),
        ApproveReturn: schema(approveReturnSchema),
        ReceiveReturn: schema(receiveReturnSchema),
        ReservationRequest: schema(reservationRequestSchema),
        ConfirmReservation: schema(stayContract.confirmReservationSchema),
        ModifyReservation: schema(stayChangeSchema),
        ReaccommodateReservation: schema(stayContract.reaccommodateSchema),
        RatesAndRestrictions: schema(ratesAndRestrictionsSchema),
        Refund: schema(stayContract.refundSchema),
        CheckIn: schema(stayContract.checkInSchema),
        CheckOut: schema(stayContract.checkOutSchema),
        Payment: schema(stayContract.paymentSchema),
        RoomStatus: schema(roomStatusSchema),
        Reservation: viewSchema(reservationViewSchema),
        Return: viewSchema(returnViewSchema),
        Error: errorSchema,
        OrderAccepted: {
          type: 'object',
          properties: {
            id: { type: 'string', examples: ['rest:1001'] },
            workflowId: { type: 'string' },
            status: { type: 'string' },
            duplicate: { type: 'boolean' },
          },
        },
        Order: viewSchema(orderViewSchema),
      },
    },
    security: [{ bearer: [] }, { apiKey: [] }],
    paths: {
      '/health': {
        get: {
          summary:
            'Readiness (as /health/ready): Temporal, the database and storage answer, the schema is migrated',
          security: [],
          responses: {
            '200': { description: 'All dependencies answer' },
            '503': { description: 'A dependency is down' },
          },
        },
      },
      '/health/ready': {
        get: {
          summary: 'Readiness: Temporal, the database and storage answer, and the schema is migrated',
          security: [],
          responses: {
            '200': { description: 'Ready for traffic' },
            '503': { description: 'A dependency is down or a migration is not applied' },
          },
        },
      },
      '/health/live': {
        get: {
          summary: 'Liveness: the process answers',
          security: [],
          responses: { '200': { description: 'The process is up' } },
        },
      },
      '/v1/orders': {
        get: {
          summary: 'Orders of this tenant, optionally by status',
          parameters: [
            { name: 'status', in: 'query', schema: { type: 'string', enum: [...ORDER_STATUSES] } },
            {
              name: 'limit',
              in: 'query',
              schema: { type: 'integer', minimum: 1, maximum: 500, default: 50 },
            },
          ],
          responses: {
            '200': { description: 'Order ids and statuses, newest first' },
            '400': errorResponse('Unknown status or invalid limit'),
          },
        },
        post: {
          summary: 'Submit an order',
          description:
            'Starts the order workflow. Posting the same channel and externalId again returns the existing order.',
          requestBody: {
            required: true,
            content: { 'application/json': { schema: { $ref: '#/components/schemas/CanonicalOrder' } } },
          },
          responses: {
            '202': {
              description: 'Accepted; processing started',
              content: { 'application/json': { schema: { $ref: '#/components/schemas/OrderAccepted' } } },
            },
            '200': {
              description: 'Already accepted earlier (duplicate)',
              content: { 'application/json': { schema: { $ref: '#/components/schemas/OrderAccepted' } } },
            },
            '400': errorResponse('Invalid order, with the reasons'),
            '422': errorResponse('A rule across lines refused it (a SKU on two lines), named'),
            '401': errorResponse('Missing or unknown API key'),
          },
        },
      },
      '/v1/orders/{id}': {
        get: {
          summary: 'Order state and timeline',
          parameters: [idParameter],
          responses: {
            '200': orderResponse('The order'),
            '404': errorResponse('No such order for this tenant'),
          },
        },
        patch: {
          summary: 'Edit lines or shipping address until labels are bought',
          description: 'Line changes re-check stock in one transaction: all or nothing.',
          parameters: [idParameter],
          requestBody: {
            required: true,
            content: { 'application/json': { schema: { $ref: '#/components/schemas/EditRequest' } } },
          },
          responses: {
            '200': orderResponse('The edited order'),
            '400': errorResponse('Invalid edit'),
            '404': errorResponse('No such order for this tenant'),
            '409': errorResponse('Refused, with the reason (too late, not enough stock…)'),
          },
        },
      },
      '/v1/orders/{id}/cancel': {
        post: {
          summary: 'Cancel before anything left a warehouse',
          description: 'Voids labels, releases stock and refunds through the channel, in that order.',
          parameters: [idParameter],
          requestBody: {
            required: true,
            content: { 'application/json': { schema: { $ref: '#/components/schemas/Reason' } } },
          },
          responses: {
            '200': orderResponse('The cancelled order'),
            '400': errorResponse('Invalid body (a reason is needed)'),
            '404': errorResponse('No such order for this tenant'),
            '409': errorResponse('Refused, with the reason (already shipped…)'),
          },
        },
      },
      '/v1/inventory/{sku}': {
        get: {
          summary: 'On hand, reserved and available per location, with the low-stock flag',
          parameters: [{ name: 'sku', in: 'path', required: true, schema: { type: 'string' } }],
          responses: { '200': { description: 'Stock levels' }, '404': errorResponse('Unknown SKU') },
        },
      },
      '/v1/inventory/{sku}/movements': {
        get: {
          summary: 'The ledger of stock movements, newest first',
          parameters: [{ name: 'sku', in: 'path', required: true, schema: { type: 'string' } }],
          responses: { '200': { description: 'Movements' } },
        },
      },
      '/v1/inventory/{sku}/{location}': {
        put: {
          summary: 'Set (count) or adjust on-hand stock, with a reason for the ledger',
          parameters: [
            {
              name: 'sku',
              in: 'path',
              required: true,
              schema: { type: 'string', pattern: SKU_PATTERN.source },
            },
            {
              name: 'location',
              in: 'path',
              required: true,
              schema: { type: 'string', pattern: CODE_PATTERN.source },
            },
          ],
          requestBody: {
            required: true,
            content: { 'application/json': { schema: { $ref: '#/components/schemas/StockChange' } } },
          },
          responses: {
            '200': { description: 'The level after the change' },
            '400': errorResponse('Neither a count nor an adjustment, with the fields named'),
            '404': errorResponse('Unknown SKU or location'),
            '409': errorResponse('Would fall below zero or below reserved units'),
          },
        },
      },
      '/v1/orders/{id}/returns': {
        get: {
          summary: 'Returns of an order, oldest first, with what each holds and refunded',
          parameters: [idParameter],
          responses: { '200': { description: 'The returns' }, '404': errorResponse('No such order') },
        },
        post: {
          summary: 'Request a return of a delivered order (optionally an exchange)',
          description:
            'Eligibility (window from delivery, returnable SKUs, units not yet returned or requested) is answered at once. The same `reference` again returns the same RMA.',
          parameters: [idParameter],
          requestBody: {
            required: true,
            content: { 'application/json': { schema: { $ref: '#/components/schemas/ReturnRequest' } } },
          },
          responses: {
            '201': returnResponse('Return accepted'),
            '200': returnResponse('Already requested with this reference'),
            '400': errorResponse('Invalid request body'),
            '404': errorResponse('No such order'),
            '409': errorResponse('The order is not delivered yet'),
            '422': errorResponse('Not eligible, with the reasons'),
          },
        },
      },
      '/v1/returns/{id}': {
        get: {
          summary: 'A return (RMA) with its label, receipt, refund and timeline',
          parameters: [pathId],
          responses: { '200': returnResponse('The return'), '404': errorResponse('No such return') },
        },
      },
      '/v1/returns/{id}/approve': processAction(
        'Approve a return held for a decision',
        'ApproveReturn',
        returnResponse,
      ),
      '/v1/returns/{id}/reject': processAction(
        'Reject a return held for a decision',
        'Reason',
        returnResponse,
      ),
      '/v1/returns/{id}/receive': processAction(
        'Receive the goods with their condition: sellable back to stock, damaged written off',
        'ReceiveReturn',
        returnResponse,
      ),
      '/v1/properties/{id}/availability': {
        get: {
          summary: 'Rooms sellable per room type and date, with restrictions',
          parameters: [
            pathId,
            { name: 'from', in: 'query', required: true, schema: { type: 'string', format: 'date' } },
            { name: 'to', in: 'query', required: true, schema: { type: 'string', format: 'date' } },
          ],
          responses: {
            '200': { description: 'physical, out of order, sold, held, available, restrictions per day' },
            '400': errorResponse('A date is not YYYY-MM-DD'),
            '422': errorResponse('to before from, or more than 366 days'),
            '404': errorResponse('No such property'),
          },
        },
      },
      '/v1/reservations': {
        post: {
          summary: 'Book a stay: every night held at once, confirmed with a guarantee',
          description:
            'The same channel and externalId again returns the existing reservation. Without a guarantee the booking is a hold that expires.',
          requestBody: {
            required: true,
            content: { 'application/json': { schema: { $ref: '#/components/schemas/ReservationRequest' } } },
          },
          responses: {
            '201': reservationResponse('Held, or confirmed when a guarantee came with it'),
            '200': reservationResponse('Already booked (duplicate)'),
            '400': errorResponse('Invalid booking, with the reasons'),
            '404': errorResponse('No such property'),
            '422': errorResponse('The dates do not make a stay (departure after arrival, at most 30 nights)'),
            '409': errorResponse('Not bookable (sold out, restriction, too many guests), with the reasons'),
          },
        },
      },
      '/v1/reservations/{id}': {
        get: {
          summary: 'A reservation with its nights, totals and timeline',
          parameters: [pathId],
          responses: {
            '200': reservationResponse('The reservation'),
            '404': errorResponse('No such reservation'),
          },
        },
      },
      '/v1/reservations/{id}/confirm': processAction(
        'Confirm a held reservation with a deposit or guarantee',
        'ConfirmReservation',
        reservationResponse,
      ),
      '/v1/reservations/{id}/check-in': processAction(
        'Check in on or after arrival day: a clean or inspected room (given or assigned) and a key',
        'CheckIn',
        reservationResponse,
      ),
      '/v1/reservations/{id}/payments': processAction(
        'Take a payment onto the folio (the same reference again changes nothing)',
        'Payment',
        reservationResponse,
      ),
      '/v1/reservations/{id}/check-out': processAction(
        'Check out: every night charged, balance zero unless allowBalance, key revoked, room dirty, invoiced',
        'CheckOut',
        reservationResponse,
      ),
      '/v1/properties/{id}/reports/occupancy': {
        get: {
          summary: 'Occupancy, ADR and RevPAR per date and for the range (`format=csv` for CSV)',
          parameters: [
            pathId,
            { name: 'from', in: 'query', required: true, schema: { type: 'string', format: 'date' } },
            { name: 'to', in: 'query', required: true, schema: { type: 'string', format: 'date' } },
            { name: 'format', in: 'query', schema: { type: 'string', enum: ['json', 'csv'] } },
          ],
          responses: {
            '200': { description: 'The report' },
            '400': errorResponse('A date is not YYYY-MM-DD'),
            '422': errorResponse('to before from, or more than 366 days'),
            '404': errorResponse('No such property'),
          },
        },
      },
      '/v1/properties/{id}/reports/occupancy/export': {
        post: {
          summary: 'Write the occupancy report as CSV to storage; answers its key',
          parameters: [
            pathId,
            { name: 'from', in: 'query', required: true, schema: { type: 'string', format: 'date' } },
            { name: 'to', in: 'query', required: true, schema: { type: 'string', format: 'date' } },
          ],
          responses: {
            '201': { description: 'Key of the CSV object and its number of dates' },
            '400': errorResponse('A date is not YYYY-MM-DD'),
            '422': errorResponse('to before from, or more than 366 days'),
            '404': errorResponse('No such property'),
          },
        },
      },
      '/v1/properties/{id}/rates': {
        put: {
          summary:
            'Change a room type’s rates and restrictions over a range of nights; every channel is told',
          parameters: [pathId],
          requestBody: {
            required: true,
            content: {
              'application/json': { schema: { $ref: '#/components/schemas/RatesAndRestrictions' } },
            },
          },
          responses: {
            '200': { description: 'The change and the number of nights' },
            '400': errorResponse('Invalid request body'),
            '422': errorResponse('from after to, or more than two years apart'),
            '404': errorResponse('No such property, room type or rate plan'),
          },
        },
      },
      '/v1/channels': {
        get: {
          summary: 'OTA connections with their sync state',
          responses: { '200': { description: 'The channels' } },
        },
      },
      '/v1/channels/{id}': {
        get: {
          summary: 'One OTA connection: nights waiting, pushes, last complete set, room types set aside',
          parameters: [pathId],
          responses: { '200': { description: 'The channel' }, '404': errorResponse('No such channel') },
        },
      },
      '/v1/channels/{id}/resync': {
        post: {
          summary: 'Send the OTA a complete set of the next horizon now',
          parameters: [pathId],
          responses: { '202': { description: 'Requested' }, '404': errorResponse('No such channel') },
        },
      },
      '/v1/channels/{id}/import': {
        post: {
          summary:
            "Read a Shopify store's or Square seller's catalogue into the tenant's items (joins an import already running)",
          parameters: [pathId],
          requestBody: {
            required: false,
            content: { 'application/json': { schema: { $ref: '#/components/schemas/CatalogueImport' } } },
          },
          responses: {
            '202': { description: 'Started; follow it with GET' },
            '400': errorResponse('Invalid options'),
            '404': errorResponse('No such connector of the tenant'),
            '409': errorResponse('Not a Shopify or Square connector'),
          },
        },
        get: {
          summary:
            'The last import: its status and report (created, changed, duplicate SKUs, variants without SKU or weight, the proposed location mapping)',
          parameters: [pathId],
          responses: {
            '200': { description: 'The last import' },
            '404': errorResponse('No such connector, or no import yet'),
            '409': errorResponse('Not a Shopify or Square connector'),
          },
        },
      },
      '/v1/channels/{id}/mappings/resolve': {
        post: {
          summary:
            "Put room types or SKUs set aside back (their mapping was fixed) and send a complete set (the sync's Update resolveMappings)",
          parameters: [pathId],
          responses: {
            '200': { description: 'Resolved: how many, and the complete set requested' },
            '404': errorResponse('No such channel'),
            '409': errorResponse('Nothing is set aside on this channel'),
          },
        },
      },
      '/v1/channels/{id}/reconcile': {
        post: {
          summary:
            "Reconcile now: a Shopify store's orders changed since its last pass, or a pull channel's waiting reservations",
          parameters: [pathId],
          responses: {
            '200': { description: 'What the pass found and fixed (the same pass as the schedule runs)' },
            '404': errorResponse('No such store or pull channel for this tenant'),
            '409': errorResponse('The channel is pushed to, not read from: resync it instead'),
          },
        },
      },
      '/v1/reports/orders': {
        get: {
          summary:
            'Orders received in a range of days: volume, net revenue, order-to-ship and ship-to-deliver p50/p90 (seconds), split rate, rejections by reason, cancellations, return rate, exceptions; per day, channel or location',
          parameters: orderReportParameters,
          responses: {
            '200': {
              description: 'One row per group (CSV with format=csv)',
              content: {
                'application/json': { schema: { type: 'object' } },
                'text/csv': { schema: { type: 'string' } },
              },
            },
            '422': errorResponse('to before from, or more than 366 days'),
          },
        },
      },
      '/v1/reports/orders/export': {
        post: {
          summary: 'The order report as CSV in storage, under the tenant’s prefix',
          parameters: orderReportParameters.filter((p) => p.name !== 'format'),
          responses: {
            '201': { description: 'The object key and the number of rows' },
            '422': errorResponse('to before from, or more than 366 days'),
          },
        },
      },
      '/v1/reports/inventory': {
        get: {
          summary:
            'On hand, reserved and available per SKU and location, with units shipped in the last 30 days and the days of cover at that pace',
          parameters: [{ name: 'format', in: 'query', schema: { type: 'string', enum: ['json', 'csv'] } }],
          responses: {
            '200': {
              description: 'One row per SKU and location (CSV with format=csv)',
              content: {
                'application/json': { schema: { type: 'object' } },
                'text/csv': { schema: { type: 'string' } },
              },
            },
          },
        },
      },
      '/v1/reports/inventory/export': {
        post: {
          summary: 'The inventory report as CSV in storage, under the tenant’s prefix',
          responses: { '201': { description: 'The object key and the number of rows' } },
        },
      },
      '/v1/carriers/{id}/reconcile': {
        post: {
          summary:
            "Reconcile a carrier's quiet parcels now: scans its webhooks never brought are fetched and signalled",
          parameters: [
            pathId,
            {
              name: 'quietMinutes',
              in: 'query',
              schema: { type: 'integer', minimum: 0, maximum: 10080, default: 60 },
            },
          ],
          responses: {
            '200': { description: 'How many scans were signalled to their orders and returns' },
            '400': errorResponse('quietMinutes out of range'),
            '404': errorResponse('No such carrier connector for this tenant'),
          },
        },
      },
      '/v1/events': {
        get: {
          summary:
            'Event deliveries to subscribers: pending, delivered, or dead (given up after 30 attempts)',
          parameters: [
            {
              name: 'status',
              in: 'query',
              schema: { type: 'string', enum: ['pending', 'delivered', 'dead'] },
            },
            { name: 'type', in: 'query', schema: { type: 'string', enum: [...EVENT_TYPES] } },
            { name: 'since', in: 'query', schema: { type: 'string', format: 'date-time' } },
            { name: 'subscriber', in: 'query', schema: { type: 'string' } },
            { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 1000 } },
            { name: 'cursor', in: 'query', schema: { type: 'string' } },
          ],
          responses: {
            '200': { description: "Deliveries, newest event first, and the next page's cursor (or null)" },
            '400': errorResponse('Invalid filter, limit or cursor'),
          },
        },
      },
      '/v1/events/{id}/redeliver': {
        post: {
          summary: 'Send an event again: to every subscriber it went to, or to one (`subscriberId`)',
          parameters: [pathId],
          requestBody: {
            required: false,
            content: { 'application/json': { schema: schema(redeliverBodySchema) } },
          },
          responses: {
            '200': { description: 'The subscribers it is queued for, once each' },
            '400': errorResponse('Invalid body'),
            '404': errorResponse('No delivery of this event for this tenant'),
          },
        },
      },
      '/v1/subscribers/{id}/replay': {
        post: {
          summary:
            'Catch a subscriber up: every event of its types since `since` is delivered to it once more',
          parameters: [
            pathId,
            { name: 'since', in: 'query', required: true, schema: { type: 'string', format: 'date-time' } },
          ],
          responses: {
            '200': { description: 'How many deliveries were queued' },
            '400': errorResponse('since is missing or not a date-time'),
            '404': errorResponse('No such subscriber for this tenant'),
          },
        },
      },
      '/v1/properties/{id}/charge-reviews': {
        get: {
          summary: 'POS charges kept for review: they could not go on a folio (unknown room, guest gone)',
          parameters: [pathId],
          responses: {
            '200': {
              description: 'The charges, each with why it was kept',
              content: {
                'application/json': {
                  schema: {
                    type: 'object',
                    required: ['charges'],
                    properties: { charges: { type: 'array', items: { type: 'object' } } },
                  },
                },
              },
            },
            '404': errorResponse('No such property'),
          },
        },
      },
      '/v1/properties/{id}/charge-reviews/{chargeId}/release': {
        post: {
          summary:
            "Post a charge kept for review to the folio of the reservation a person names (the stay's Update postCharge)",
          parameters: [pathId, { name: 'chargeId', in: 'path', required: true, schema: { type: 'string' } }],
          requestBody: {
            required: true,
            content: { 'application/json': { schema: schema(chargeReleaseSchema) } },
          },
          responses: {
            '200': { description: 'On the folio; the review is closed' },
            '400': errorResponse('Invalid body, with the fields named'),
            '404': errorResponse('No such property, charge under review or open reservation'),
            '409': errorResponse(
              'The reservation refused the charge (guest not in house, another property), with the reason',
            ),
          },
        },
      },
      '/v1/properties/{id}/housekeeping': {
        get: {
          summary:
            'Housekeeping tasks (departure cleans, stay-over services) of a business date, or every open one',
          parameters: [
            pathId,
            { name: 'date', in: 'query', required: false, schema: { type: 'string', format: 'date' } },
          ],
          responses: {
            '200': { description: 'The tasks' },
            '400': errorResponse('Invalid date'),
            '404': errorResponse('No such property'),
          },
        },
      },
      '/v1/properties/{id}/night-audit': {
        post: {
          summary: 'Run the night audit now: charge the night, mark no-shows, open the next business date',
          parameters: [pathId],
          responses: {
            '200': { description: 'The closed business date with the stays charged and arrivals expected' },
            '404': errorResponse('No such property'),
            '409': errorResponse('The business date has not begun at the property'),
          },
        },
      },
      '/v1/rooms/{id}/status': {
        patch: {
          summary: 'Housekeeping: dirty → clean → inspected, out of service, out of order (off the calendar)',
          parameters: [{ ...pathId, description: '`<propertyId>:<room number>`' }],
          requestBody: {
            required: true,
            content: { 'application/json': { schema: { $ref: '#/components/schemas/RoomStatus' } } },
          },
          responses: {
            '200': { description: 'The room after the change' },
            '400': errorResponse('Invalid request body'),
            '404': errorResponse('No such room'),
            '409': errorResponse(
              'Not a permitted change, or every room of the type is taken on those nights',
            ),
          },
        },
      },
      '/v1/reservations/{id}/refunds': processAction(
        'Record money given back from a folio in credit (never more than the credit)',
        'Refund',
        reservationResponse,
      ),
      '/v1/reservations/{id}/modify': processAction(
        'Change dates, room type, rate plan or party; the nights move in one transaction or the change is refused',
        'ModifyReservation',
        reservationResponse,
      ),
      '/v1/reservations/{id}/reaccommodate': processAction(
        'Place an overbooked reservation: its nights are taken now (its own room type, or another with one of its rate plans) and it is confirmed with the guarantee it came with',
        'ReaccommodateReservation',
        reservationResponse,
      ),
      '/v1/reservations/{id}/cancel': processAction(
        'Cancel; the rate plan decides the fee by the property’s calendar',
        'Reason',
        reservationResponse,
      ),
      '/webhooks/shopify/{connectorId}': webhook(
        'Shopify webhooks (orders/create, orders/updated, orders/paid, orders/cancelled, returns/request, refunds/create)',
        'X-Shopify-Hmac-Sha256',
      ),
      '/webhooks/square/{connectorId}': webhook(
        'Square order.created / order.updated',
        'x-square-hmacsha256-signature',
      ),
      '/alpinebits/{connectorId}': {
        post: {
          summary: 'AlpineBits server endpoint of an OTA connection (handshake, reservation push)',
          description:
            'multipart/form-data or urlencoded `action` and `request` (OpenTravel XML), with the ' +
            "connection's inbound Basic credentials and the `X-AlpineBits-ClientProtocolVersion` " +
            'header. Protocol errors answer `ERROR:<reason>` as text with 4xx, as AlpineBits does; a ' +
            'request that does not follow the schemas of its version is refused with their complaint.',
          security: [],
          parameters: [{ name: 'connectorId', in: 'path', required: true, schema: { type: 'string' } }],
          requestBody: {
            required: true,
            content: { 'multipart/form-data': { schema: { type: 'object' } } },
          },
          responses: {
            '200': { description: 'An OpenTravel response (XML), or the handshake answer' },
            '400': { description: '`ERROR:` with the reason (unknown action, invalid request)' },
            '401': { description: '`ERROR:` credentials do not match' },
            '404': { description: '`ERROR:no AlpineBits endpoint here`' },
          },
        },
      },
      '/webhooks/carriers/{connectorId}': webhook(
        'Carrier tracker events (EasyPost tracker.updated)',
        'X-Hmac-Signature',
      ),
    },
  };
}

/** Paths of two documents merged: the operations of a path both name are kept side by side. */
function mergePaths(into: Record<string, unknown>, more: Record<string, unknown>): Record<string, unknown> {
  for (const [path, operations] of Object.entries(more))
    into[path] = {
      ...(into[path] as Record<string, unknown> | undefined),
      ...(operations as Record<string, unknown>),
    };
  return into;
}

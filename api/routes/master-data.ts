import type { Request } from 'express';
import { KIND_SCHEMAS, MasterDataRefused, type StoredView } from '../../db/master-data/service';
import { roomsOf } from '../../db/rooms';
import type { RecordKind } from '../../domain/master-data/plan';
import { ensureNightAuditSchedule } from '../../intake/schedules';
import type { TenantLocals, TenantResponse } from '../auth';
import { sendError } from '../errors';
import {
  errorResponse,
  inputSchema,
  jsonBody,
  pageParameters,
  pageResponse,
  pathParameter,
  queryParameter,
  SchemaRef,
} from '../openapi-parts';
import { ApiRoutes, type OperationDoc, type RouterServices } from '../route-registry';
import { pageOf } from '../pagination';

/** One REST resource of master data: where it lives, its path parameter, and its listing's key. */
export interface MasterResource {
  kind: RecordKind;
  /** The collection's path; a property's parts live under `/v1/properties/:id`. */
  collection: string;
  param: string;
  listKey: string;
  /** What one of it is called in messages. */
  noun: string;
}

export const MASTER_RESOURCES: MasterResource[] = [
  { kind: 'location', collection: '/v1/locations', param: 'id', listKey: 'locations', noun: 'location' },
  { kind: 'item', collection: '/v1/items', param: 'sku', listKey: 'items', noun: 'item' },
  { kind: 'property', collection: '/v1/properties', param: 'id', listKey: 'properties', noun: 'property' },
  {
    kind: 'roomType',
    collection: '/v1/properties/:id/room-types',
    param: 'roomTypeId',
    listKey: 'roomTypes',
    noun: 'room type',
  },
  { kind: 'room', collection: '/v1/properties/:id/rooms', param: 'number', listKey: 'rooms', noun: 'room' },
  {
    kind: 'ratePlan',
    collection: '/v1/properties/:id/rate-plans',
    param: 'ratePlanId',
    listKey: 'ratePlans',
    noun: 'rate plan',
  },
];

type Json = Record<string, unknown>;

/**
 * A kind's record as the API shows it: the fields its body takes, the property it belongs to
 * (nested kinds), who manages it and whether it is retired (and, when retiring, what went with it);
 * listings may add read-only state beside them (a room's housekeeping status).
 */
function recordSchema(input: Json): Json {
  const { additionalProperties: _strictInput, ...open } = input;
  return {
    ...open,
    properties: {
      ...(input.properties as Json),
      propertyId: {
        type: 'string',
        description: 'The property it belongs to (rooms, room types, rate plans)',
      },
      managedBy: {
        type: 'string',
        enum: ['file', 'api'],
        description: 'Who declares it: the setup file or the API',
      },
      retired: { type: 'boolean' },
      retiredWith: {
        type: 'array',
        items: { type: 'string' },
        description: 'Retiring: the parts retired along with it',
      },
    },
  };
}

/** A kind's PUT body: its schema without the key, which the path gives. */
function bodySchema(input: Json, keyField: string): Json {
  const { [keyField]: _key, ...properties } = input.properties as Json;
  const required = (input.required as string[] | undefined)?.filter((field) => field !== keyField);
  return { ...input, properties, ...(required ? { required } : {}) };
}

const componentName = (kind: string) => `${kind[0]!.toUpperCase()}${kind.slice(1)}`;

/**
 * What the document says of one master data resource's four operations (listing, read, create or
 * replace, retire), from the zod schema that validates its bodies.
 */
export function resourceOperations(
  resource: MasterResource,
): Record<'list' | 'get' | 'put' | 'delete', OperationDoc> {
  const name = componentName(resource.kind);
  const { schema, keyField } = KIND_SCHEMAS[resource.kind];
  const input = () => inputSchema(schema);
  const RECORD = new SchemaRef(`${name}Record`, () => recordSchema(input()));
  // A PUT names the record in its path: the body may leave the key out (and may not change it).
  const BODY = new SchemaRef(`${name}Body`, () => bodySchema(input(), keyField));
  const keySchema = (input().properties as Record<string, Json>)[keyField] ?? { type: 'string' };
  const nested = resource.collection.includes(':id/');
  const propertyParameter = nested ? [pathParameter('id', { description: 'The property' })] : [];
  const memberParameters = [...propertyParameter, pathParameter(resource.param, { schema: keySchema })];
  const record = (description: string, more: Json = {}) => ({
    description,
    ...more,
    content: { 'application/json': { schema: RECORD } },
  });
  const etag = {
    headers: {
      ETag: { schema: { type: 'string' }, description: 'Send it back as If-Match to change what you read' },
    },
  };
  const ifMatch = { name: 'If-Match', in: 'header', schema: { type: 'string' } };
  return {
    list: {
      summary: `List ${resource.noun === 'property' ? 'properties' : `${resource.noun}s`} (key order; retired ones with includeRetired=true)`,
      parameters: [
        ...propertyParameter,
        ...pageParameters,
        queryParameter('includeRetired', { type: 'boolean', default: false }),
      ],
      responses: {
        '200': pageResponse(resource.listKey, RECORD),
        '400': errorResponse('Invalid limit or cursor'),
        ...(nested ? { '404': errorResponse('No such property') } : {}),
      },
    },
    get: {
      summary: `Read one ${resource.noun}`,
      parameters: memberParameters,
      responses: { '200': record(`The ${resource.noun}`, etag), '404': errorResponse('Not found') },
    },
    put: {
      summary: `Create or replace a ${resource.noun}`,
      description:
        'The same rules as the setup file. `If-Match` with the ETag read makes the write conditional (412 when it changed since); `If-None-Match: *` creates only. Unknown fields are refused. A record the setup file declares is put back to the file’s version when the file is next applied.',
      parameters: [
        ...memberParameters,
        ifMatch,
        { name: 'If-None-Match', in: 'header', schema: { type: 'string', enum: ['*'] } },
      ],
      requestBody: jsonBody(BODY),
      responses: {
        '200': record('Replaced (or unchanged)', etag),
        '201': record('Created', etag),
        '400': errorResponse('Invalid body or header, with each field named'),
        '422': errorResponse('A rule across fields refused it (a base occupancy over the maximum…), named'),
        '404': errorResponse('No such property'),
        '409': errorResponse(
          'A reference would break (an OTA mapping, a room type), or a future stay depends on what it takes away',
        ),
        '412': errorResponse('If-Match does not match the current ETag'),
      },
    },
    delete: {
      summary: `Retire a ${resource.noun} (never deleted; a room type or property takes its parts along)`,
      parameters: [...memberParameters, ifMatch],
      responses: {
        '200': record('Retired'),
        '404': errorResponse('Not found'),
        '409': errorResponse('An open order, a future stay or an OTA mapping depends on it: each is named'),
        '412': errorResponse('If-Match does not match the current ETag'),
      },
    },
  };
}

/** A record as the API shows it: its fields, who manages it, whether it is retired. */
export function viewOf(view: StoredView): Record<string, unknown> {
  const { record } = view;
  return {
    ...(record.propertyId ? { propertyId: record.propertyId } : {}),
    ...record.value,
    managedBy: record.managedBy,
    retired: record.retired,
  };
}

function header(req: Request, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * Master data over REST: `PUT` creates or replaces (201 or 200, with an ETag; a stale `If-Match`
 * gets 412), `GET` reads one or pages through them with a cursor, `DELETE` retires (refused with
 * 409 naming what depends on it). The setup file's service and rules, so both doors agree.
 */
export function masterDataRouter(
  deps: RouterServices<'masterData' | 'client' | 'config' | 'sequelize'>,
): ApiRoutes<TenantLocals> {
  const router = new ApiRoutes<TenantLocals>();

  function refusal(res: TenantResponse, resource: MasterResource, error: unknown): void {
    if (!(error instanceof MasterDataRefused)) throw error;
    const status = {
      invalid: 400,
      unprocessable: 422,
      not_found: 404,
      conflict: 409,
      precondition_failed: 412,
    }[error.code];
    const code = ['invalid', 'unprocessable'].includes(error.code)
      ? `invalid_${resource.listKey}`
      : error.code;
    sendError(res, status, code, error.message, error.problems);
  }

  for (const resource of MASTER_RESOURCES) {
    const nested = resource.collection.includes(':id/');
    const member = `${resource.collection}/:${resource.param}`;
    const operations = resourceOperations(resource);
    const refOf = (req: Request) => ({
      key: String(req.params[resource.param]),
      ...(nested ? { propertyId: String(req.params.id) } : {}),
    });

    router.get(resource.collection, operations.list, async (req, res: TenantResponse) => {
      const tenantId = res.locals.tenant.id;
      const page = pageOf(req, res);
      if (!page) return;
      const { includeRetired } = req.query;
      if (includeRetired !== undefined && includeRetired !== 'true' && includeRetired !== 'false')
        return sendError(res, 400, 'invalid_query', 'includeRetired must be true or false', [
          { path: 'includeRetired', message: 'must be true or false' },
        ]);
      if (nested && !(await deps.masterData.get(tenantId, 'property', { key: String(req.params.id) })))
        return sendError(res, 404, 'not_found', `no property ${String(req.params.id)}`);
      const listed = await deps.masterData.list(tenantId, resource.kind, {
        ...(nested ? { propertyId: String(req.params.id) } : {}),
        after: page.after,
        limit: page.limit,
        includeRetired: req.query.includeRetired === 'true',
      });
      let entries = listed.views.map(viewOf);
      if (resource.kind === 'room')
        entries = await withHousekeeping(tenantId, String(req.params.id), entries);
      res.json({ [resource.listKey]: entries, nextCursor: page.cursorAfter(listed.last) });
    });

    router.get(member, operations.get, async (req, res: TenantResponse) => {
      const found = await deps.masterData.get(res.locals.tenant.id, resource.kind, refOf(req));
      if (!found) return sendError(res, 404, 'not_found', `no ${resource.noun} ${refOf(req).key}`);
      res.setHeader('ETag', found.etag).json(viewOf(found));
    });

    router.put(member, operations.put, async (req, res: TenantResponse) => {
      const ifNoneMatch = header(req, 'if-none-match');
      if (ifNoneMatch !== undefined && ifNoneMatch !== '*')
        return sendError(res, 400, 'invalid_header', 'If-None-Match takes only "*" (create only)', [
          { path: 'If-None-Match', message: 'must be "*"' },
        ]);
      try {
        const stored = await deps.masterData.put(res.locals.tenant.id, resource.kind, refOf(req), req.body, {
          ifMatch: header(req, 'if-match'),
          ifNoneMatch: header(req, 'if-none-match'),
        });
        if (resource.kind === 'property' && stored.created)
          await ensureNightAuditSchedule(deps.client, deps.config, {
            tenantId: res.locals.tenant.id,
            id: stored.record.key,
            timeZone: String(stored.record.value.timeZone),
          });
        res
          .status(stored.created ? 201 : 200)
          .setHeader('ETag', stored.etag)
          .json(viewOf(stored));
      } catch (error) {
        refusal(res, resource, error);
      }
    });

    router.delete(member, operations.delete, async (req, res: TenantResponse) => {
      try {
        const retired = await deps.masterData.retire(res.locals.tenant.id, resource.kind, refOf(req), {
          ifMatch: header(req, 'if-match'),
        });
        res
          .setHeader('ETag', retired.etag)
          .json({ ...viewOf(retired), retiredWith: retired.retired.slice(1) });
      } catch (error) {
        refusal(res, resource, error);
      }
    });
  }

  /** Rooms are listed with their housekeeping state (status, out-of-order nights) beside their master data. */
  async function withHousekeeping(
    tenantId: string,
    propertyId: string,
    rooms: Array<Record<string, unknown>>,
  ): Promise<Array<Record<string, unknown>>> {
    const states = new Map(
      (
        await roomsOf(
          deps.sequelize,
          tenantId,
          propertyId,
          rooms.map((r) => String(r.number)),
        )
      ).map((r) => [r.number, r]),
    );
    return rooms.map((room) => {
      const state = states.get(String(room.number));
      return state
        ? { ...room, status: state.status, reason: state.reason, outOfOrder: state.outOfOrder }
        : room;
    });
  }

  return router;
}

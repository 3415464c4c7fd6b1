import { z } from 'zod';
import { KIND_SCHEMAS } from '../db/master-data/service';
import { RETURN_STATUSES } from '../domain/returns/return';
import { RESERVATION_STATUSES } from '../domain/stays/reservation';
import { DEFAULT_PAGE, MAX_PAGE } from './pagination';
import { MASTER_RESOURCES } from './routes/master-data';

type Json = Record<string, unknown>;

const error = (description: string) => ({
  description,
  content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
});
const path = (name: string, description?: string) => ({
  name,
  in: 'path',
  required: true,
  schema: { type: 'string' },
  ...(description ? { description } : {}),
});
const pageParameters = [
  {
    name: 'limit',
    in: 'query',
    schema: { type: 'integer', minimum: 1, maximum: MAX_PAGE, default: DEFAULT_PAGE },
  },
  {
    name: 'cursor',
    in: 'query',
    schema: { type: 'string' },
    description: 'The nextCursor of the page before',
  },
];
const page = (listKey: string, item: Json) => ({
  description: 'One page, and the cursor of the next (null on the last)',
  content: {
    'application/json': {
      schema: {
        type: 'object',
        required: [listKey, 'nextCursor'],
        properties: { [listKey]: { type: 'array', items: item }, nextCursor: { type: ['string', 'null'] } },
      },
    },
  },
});

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
 * The master data resources and the listings, documented from the resource table that mounts
 * them and the zod schemas that validate their bodies.
 */
export function masterDataDocument(): { paths: Json; schemas: Json } {
  const schemas: Json = {};
  const paths: Json = {};
  for (const resource of MASTER_RESOURCES) {
    const name = componentName(resource.kind);
    const json = z.toJSONSchema(KIND_SCHEMAS[resource.kind].schema, {
      io: 'input',
      unrepresentable: 'any',
    }) as Json;
    delete json.$schema;
    schemas[name] = json;
    schemas[`${name}Record`] = recordSchema(json);
    // A PUT names the record in its path: the body may leave the key out (and may not change it).
    const { keyField } = KIND_SCHEMAS[resource.kind];
    schemas[`${name}Body`] = bodySchema(json, keyField);
    const keySchema = (json.properties as Record<string, Json>)[keyField] ?? { type: 'string' };
    const recordRef = { $ref: `#/components/schemas/${name}Record` };
    const nested = resource.collection.includes(':id/');
    const collection = resource.collection.replace(':id', '{id}');
    const propertyParameter = nested ? [path('id', 'The property')] : [];
    const record = { content: { 'application/json': { schema: recordRef } } };
    const etag = {
      ETag: { schema: { type: 'string' }, description: 'Send it back as If-Match to change what you read' },
    };
    paths[collection] = {
      get: {
        summary: `List ${resource.noun === 'property' ? 'properties' : `${resource.noun}s`} (key order; retired ones with includeRetired=true)`,
        parameters: [
          ...propertyParameter,
          ...pageParameters,
          { name: 'includeRetired', in: 'query', schema: { type: 'boolean', default: false } },
        ],
        responses: {
          '200': page(resource.listKey, recordRef),
          '400': error('Invalid limit or cursor'),
          ...(nested ? { '404': error('No such property') } : {}),
        },
      },
    };
    paths[`${collection}/{${resource.param}}`] = {
      parameters: [...propertyParameter, { ...path(resource.param), schema: keySchema }],
      get: {
        summary: `Read one ${resource.noun}`,
        responses: {
          '200': { description: `The ${resource.noun}`, headers: etag, ...record },
          '404': error('Not found'),
        },
      },
      put: {
        summary: `Create or replace a ${resource.noun}`,
        description:
          'The same rules as the setup file. `If-Match` with the ETag read makes the write conditional (412 when it changed since); `If-None-Match: *` creates only. Unknown fields are refused. A record the setup file declares is put back to the file’s version when the file is next applied.',
        parameters: [
          { name: 'If-Match', in: 'header', schema: { type: 'string' } },
          { name: 'If-None-Match', in: 'header', schema: { type: 'string', enum: ['*'] } },
        ],
        requestBody: {
          required: true,
          content: { 'application/json': { schema: { $ref: `#/components/schemas/${name}Body` } } },
        },
        responses: {
          '200': { description: 'Replaced (or unchanged)', headers: etag, ...record },
          '201': { description: 'Created', headers: etag, ...record },
          '400': error('Invalid body or header, with each field named'),
          '422': error('A rule across fields refused it (a base occupancy over the maximum…), named'),
          '404': error('No such property'),
          '409': error(
            'A reference would break (an OTA mapping, a room type), or a future stay depends on what it takes away',
          ),
          '412': error('If-Match does not match the current ETag'),
        },
      },
      delete: {
        summary: `Retire a ${resource.noun} (never deleted; a room type or property takes its parts along)`,
        parameters: [{ name: 'If-Match', in: 'header', schema: { type: 'string' } }],
        responses: {
          '200': { description: 'Retired', ...record },
          '404': error('Not found'),
          '409': error('An open order, a future stay or an OTA mapping depends on it: each is named'),
          '412': error('If-Match does not match the current ETag'),
        },
      },
    };
  }
  paths['/v1/inventory'] = {
    get: {
      summary: 'Stock levels by SKU and location; low=true keeps SKUs below their low-stock threshold',
      parameters: [
        ...pageParameters,
        { name: 'location', in: 'query', schema: { type: 'string' } },
        { name: 'low', in: 'query', schema: { type: 'string', enum: ['true', 'false'] } },
      ],
      responses: { '200': page('levels', { type: 'object' }), '400': error('Invalid parameter') },
    },
  };
  paths['/v1/reservations'] = {
    get: {
      summary: 'Reservations, newest first, by status, property and arrival',
      parameters: [
        ...pageParameters,
        { name: 'status', in: 'query', schema: { type: 'string', enum: [...RESERVATION_STATUSES] } },
        { name: 'propertyId', in: 'query', schema: { type: 'string' } },
        { name: 'arrivalFrom', in: 'query', schema: { type: 'string', format: 'date' } },
        { name: 'arrivalTo', in: 'query', schema: { type: 'string', format: 'date' } },
      ],
      responses: { '200': page('reservations', { type: 'object' }), '400': error('Invalid parameter') },
    },
  };
  paths['/v1/returns'] = {
    get: {
      summary: 'Returns, newest first, by status',
      parameters: [
        ...pageParameters,
        { name: 'status', in: 'query', schema: { type: 'string', enum: [...RETURN_STATUSES] } },
      ],
      responses: { '200': page('returns', { type: 'object' }), '400': error('Invalid parameter') },
    },
  };
  return { paths, schemas };
}

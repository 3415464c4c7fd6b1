import { KIND_SCHEMAS } from '../db/master-data/service';
import type { MasterResource } from './routes/master-data';
import {
  errorResponse,
  inputSchema,
  jsonBody,
  pageParameters,
  pageResponse,
  pathParameter,
  queryParameter,
  SchemaRef,
} from './openapi-parts';
import type { OperationDoc } from './route-registry';

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

import { z } from 'zod';
import { DEFAULT_PAGE, MAX_PAGE } from './pagination';

type Json = Record<string, unknown>;

/**
 * A named schema of the OpenAPI document: routes refer to it where a body or an answer goes, and
 * the document lists it once under `components.schemas` (built from the zod schema that validates
 * or shapes it, so the two cannot drift).
 */
export class SchemaRef {
  constructor(
    readonly name: string,
    readonly json: () => Json,
  ) {}
}

/** A zod schema as a request takes it (its input form). */
export function inputSchema(zod: z.ZodType): Json {
  const json = z.toJSONSchema(zod, { io: 'input', unrepresentable: 'any' }) as Json;
  delete json.$schema;
  return json;
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

/** A request body's schema, by name. */
export const requestSchema = (name: string, zod: z.ZodType) => new SchemaRef(name, () => inputSchema(zod));

/**
 * A view as the API answers it (a process's Query result): its output form, open to fields a later
 * version adds (a process started earlier answers with the fields it had).
 */
export const viewSchema = (name: string, zod: z.ZodType) =>
  new SchemaRef(name, () => {
    const json = z.toJSONSchema(zod, { io: 'output', unrepresentable: 'any' }) as Json;
    delete json.$schema;
    return openObjects(json);
  });

export const ERROR = new SchemaRef('Error', () => ({
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message'],
      properties: { code: { type: 'string' }, message: { type: 'string' }, details: {} },
    },
  },
}));

/** A JSON answer with its schema (a `SchemaRef` or an inline JSON Schema). */
export const jsonResponse = (description: string, schema: SchemaRef | Json) => ({
  description,
  content: { 'application/json': { schema } },
});

export const errorResponse = (description: string) => jsonResponse(description, ERROR);

/** A report's answer: JSON with its schema, or CSV text when the query asks for `format=csv`. */
export const jsonOrCsvResponse = (description: string, schema: SchemaRef | Json) => ({
  description,
  content: { 'application/json': { schema }, 'text/csv': { schema: { type: 'string' } } },
});

/** A JSON request body. */
export const jsonBody = (schema: SchemaRef | Json, required = true) => ({
  required,
  content: { 'application/json': { schema } },
});

/** A path parameter with more than "a string" to say (the document adds the plain ones itself). */
export const pathParameter = (name: string, more: Json = {}) => ({
  name,
  in: 'path',
  required: true,
  schema: { type: 'string' },
  ...more,
});

export const queryParameter = (name: string, schema: Json, more: Json = {}) => ({
  name,
  in: 'query',
  schema,
  ...more,
});

export const orderIdParameter = pathParameter('id', {
  description: '`channel:externalId`, e.g. `rest:1001` or `shopify:450789469`',
});

/** `limit` and `cursor` of a paged listing (`pagination.ts`). */
export const pageParameters = [
  queryParameter('limit', { type: 'integer', minimum: 1, maximum: MAX_PAGE, default: DEFAULT_PAGE }),
  queryParameter('cursor', { type: 'string' }, { description: 'The nextCursor of the page before' }),
];

/** One page of a listing under `listKey`, and the cursor of the next. */
export const pageResponse = (listKey: string, item: SchemaRef | Json) =>
  jsonResponse('One page, and the cursor of the next (null on the last)', {
    type: 'object',
    required: [listKey, 'nextCursor'],
    properties: { [listKey]: { type: 'array', items: item }, nextCursor: { type: ['string', 'null'] } },
  });

/** Query parameters `from` and `to`, calendar dates. */
export const dateRangeParameters = (date: Json) => [
  queryParameter('from', date, { required: true }),
  queryParameter('to', date, { required: true }),
];

/** An amount as the API answers it: an exact decimal string in the currency's minor units. */
export const decimalAmount = () => z.string().regex(/^-?\d+(\.\d+)?$/);

/** What an export to storage answers: the CSV object's key and how many rows it holds. */
export const EXPORTED = viewSchema(
  'Exported',
  z.object({ key: z.string().describe('the CSV object in storage'), rows: z.number().int().nonnegative() }),
);

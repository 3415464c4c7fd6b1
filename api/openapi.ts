import { scopeOf } from './scopes';
import { ERROR, SchemaRef } from './openapi-parts';
import type { DeclaredRoute } from './route-registry';

type Json = Record<string, unknown>;

/**
 * The OpenAPI 3.1 document of the routes the API mounts (`route-registry.ts`): each route's own
 * declaration, its Express path as an OpenAPI path (plain path parameters added), and every named
 * schema it refers to listed once, built from the zod schema that validates or shapes it.
 */
export function openApiDocument(routes: DeclaredRoute[]): Record<string, unknown> {
  const schemas = new Map<string, { ref: SchemaRef; json: Json }>();
  const resolve = (node: unknown): unknown => {
    if (node instanceof SchemaRef) {
      const known = schemas.get(node.name);
      if (!known) schemas.set(node.name, { ref: node, json: node.json() });
      else if (known.ref !== node && JSON.stringify(known.json) !== JSON.stringify(node.json()))
        throw new Error(`two different schemas are both named ${node.name}`);
      return { $ref: `#/components/schemas/${node.name}` };
    }
    if (Array.isArray(node)) return node.map(resolve);
    if (!node || typeof node !== 'object') return node;
    return Object.fromEntries(Object.entries(node).map(([key, value]) => [key, resolve(value)]));
  };
  const paths: Record<string, Record<string, Operation>> = {};
  for (const { method, path, operation } of routes) {
    const openPath = path.replace(/:(\w+)/g, '{$1}');
    const parameters = withPathParameters(path, operation.parameters ?? []);
    paths[openPath] = {
      ...paths[openPath],
      [method]: resolve({ ...operation, ...(parameters.length > 0 ? { parameters } : {}) }) as Operation,
    };
  }
  const error = resolve(ERROR); // what every REST operation may answer (401, 403, a bad query)
  withAccessResponses(paths, error);
  nonEmptyQueryStrings(paths, error);
  const document = {
    openapi: '3.1.0',
    info: {
      title: 'Crossdock API',
      version: '0.1.0',
      description:
        'Integration hub for commerce orders and hotel reservations. Every call is scoped to the tenant of its API key. Errors are `{error: {code, message, details[{path, message}]}}`: 400 a malformed request (each field named; an empty or repeated query parameter included), 422 a well-formed one a rule across its fields refuses (a departure before its arrival) or whose text holds the NUL character (U+0000, which cannot be stored), 404 nothing of that id for this tenant, 409 the state refuses it (with the reason), 412 a precondition header does not hold, 405 (with `Allow`) a method the path does not take.',
    },
    components: {
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', description: 'Tenant API key' },
        apiKey: { type: 'apiKey', in: 'header', name: 'X-Api-Key' },
      },
      schemas: Object.fromEntries(
        [...schemas].sort(([a], [b]) => a.localeCompare(b)).map(([name, { json }]) => [name, json]),
      ),
    },
    security: [{ bearer: [] }, { apiKey: [] }],
    paths,
  };
  patternsOverFormats(document);
  return document;
}

/** Every `:name` of an Express path as a path parameter, unless the route describes it itself. */
function withPathParameters(path: string, parameters: unknown[]): unknown[] {
  const described = new Set(
    (parameters as Array<{ name?: string; in?: string }>).filter((p) => p.in === 'path').map((p) => p.name),
  );
  const plain = [...path.matchAll(/:(\w+)/g)]
    .map(([, name]) => name!)
    .filter((name) => !described.has(name))
    .map((name) => ({ name, in: 'path', required: true, schema: { type: 'string' } }));
  return [...plain, ...parameters];
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

interface Parameter {
  in?: string;
  schema?: { type?: string; enum?: unknown[]; format?: string; minLength?: number };
}

interface Operation {
  description?: string;
  parameters?: Parameter[];
  responses: Record<string, unknown>;
}

/**
 * A query parameter sent empty (`?location=`) is refused like any malformed value: the document
 * says so (`minLength: 1`) for every free string a query takes, and any REST operation with a
 * query answers 400 for a malformed one.
 */
function nonEmptyQueryStrings(paths: Record<string, Record<string, Operation>>, error: unknown): void {
  for (const [path, operations] of Object.entries(paths))
    for (const operation of Object.values(operations)) {
      const queries = (operation.parameters ?? []).filter((p) => p.in === 'query');
      for (const { schema } of queries)
        if (schema?.type === 'string' && !schema.enum && !schema.format) schema.minLength ??= 1;
      if (queries.length > 0 && path.startsWith('/v1/'))
        operation.responses['400'] ??= {
          description: 'Invalid query parameter, named',
          content: { 'application/json': { schema: error } },
        };
    }
}

/**
 * Every REST operation answers 401 without a known key, 403 when the key lacks the scope the
 * operation needs (`api/scopes.ts`, named in its description), and 422 for text holding the NUL
 * character (`refuseUnstorableText`), whatever else it answers.
 */
function withAccessResponses(paths: Record<string, Record<string, Operation>>, error: unknown): void {
  const response = (description: string) => ({
    description,
    content: { 'application/json': { schema: error } },
  });
  for (const [path, operations] of Object.entries(paths)) {
    if (!path.startsWith('/v1/')) continue;
    for (const [method, operation] of Object.entries(operations)) {
      const scope = scopeOf(method.toUpperCase(), path.replace(/\{(\w+)\}/g, 'x-$1'));
      operation.description = [
        operation.description,
        `Needs an API key with the scope \`${scope}\` (or \`admin\`).`,
      ]
        .filter(Boolean)
        .join('\n\n');
      operation.responses['401'] ??= response('Missing or unknown API key');
      operation.responses['422'] ??= response('Text holding the NUL character (U+0000), each field named');
      operation.responses['403'] = response(`The API key lacks the scope "${scope}"`);
    }
  }
}

import { randomUUID } from 'node:crypto';
import { graphqlSync, Kind, parse, type FieldNode, type GraphQLSchema, type SelectionSetNode } from 'graphql';
import { gid, withUnboundedConnections } from './shopify-graphql';

/**
 * Shopify's bulk query operations (`bulkOperationRunQuery`, `currentBulkOperation`), as the Admin
 * API runs them: the query is checked (one top-level connection, at most five connections, two
 * levels deep, no pagination arguments), run in the background over every page without the cost
 * bucket, and its result offered as a JSONL file: one line per node, a nested connection's nodes
 * on lines of their own naming their parent in `__parentId`. One bulk query runs at a time per
 * shop (API versions before 2026-01).
 */
export interface BulkOperation {
  id: string;
  status: 'CREATED' | 'RUNNING' | 'COMPLETED' | 'FAILED' | 'CANCELED';
  errorCode: string | null;
  query: string;
  createdAt: string;
  completedAt: string | null;
  objectCount: string;
  rootObjectCount: string;
  fileSize: string | null;
  url: string | null;
  partialDataUrl: null;
  type: 'QUERY';
}

interface Running {
  operation: BulkOperation;
  lines: string;
  objects: number;
  roots: number;
  failed: boolean;
  /** The run takes time, as on Shopify: about 20,000 objects a second, 300 ms at least. */
  doneAt: number;
}

const MAX_CONNECTIONS = 5;
const MAX_DEPTH = 2;

function isConnection(field: FieldNode): boolean {
  return (field.selectionSet?.selections ?? []).some(
    (s) => s.kind === Kind.FIELD && ['edges', 'nodes'].includes(s.name.value),
  );
}

/** Why Shopify would refuse this bulk query, or undefined when it takes it. */
export function bulkQueryRefusal(query: string): string | undefined {
  let document;
  try {
    document = parse(query);
  } catch (error) {
    return `Invalid bulk query: ${(error as Error).message}`;
  }
  const operation = document.definitions.find((d) => d.kind === Kind.OPERATION_DEFINITION);
  if (!operation || operation.kind !== Kind.OPERATION_DEFINITION || operation.operation !== 'query')
    return 'Invalid bulk query: a bulk operation runs one query';
  const roots = operation.selectionSet.selections.filter((s) => s.kind === Kind.FIELD) as FieldNode[];
  if (roots.length !== 1 || !isConnection(roots[0]!))
    return 'Bulk queries must contain exactly one top-level connection field';
  let connections = 0;
  let problem: string | undefined;
  const walk = (set: SelectionSetNode | undefined, depth: number) => {
    for (const selection of set?.selections ?? []) {
      if (selection.kind !== Kind.FIELD) continue;
      if (isConnection(selection)) {
        connections += 1;
        if (depth + 1 > MAX_DEPTH)
          problem ??= `Bulk queries cannot contain connections nested more than ${MAX_DEPTH} levels deep`;
        if (selection.arguments?.some((a) => ['first', 'last', 'after', 'before'].includes(a.name.value)))
          problem ??= `Bulk queries cannot contain pagination arguments (${selection.name.value})`;
        walk(selection.selectionSet, depth + 1);
      } else walk(selection.selectionSet, depth);
    }
  };
  walk(operation.selectionSet, 0);
  if (connections > MAX_CONNECTIONS)
    return `Bulk queries cannot contain more than ${MAX_CONNECTIONS} connections`;
  return problem;
}

type Json = Record<string, unknown>;

function connectionNodes(value: unknown): Json[] | undefined {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const v = value as Json;
  if (Array.isArray(v.edges)) return (v.edges as Array<{ node: Json }>).map((e) => e.node);
  if (Array.isArray(v.nodes)) return v.nodes as Json[];
  return undefined;
}

/** A result as Shopify writes it to JSONL: each node on a line, nested connections' nodes after it. */
export function jsonLines(data: Json): Json[] {
  const lines: Json[] = [];
  const emit = (node: Json, parentId: string | undefined) => {
    const at = lines.length;
    lines.push({});
    const own = typeof node.id === 'string' ? node.id : parentId;
    const line = strip(node, own);
    lines[at] = parentId === undefined ? line : { ...line, __parentId: parentId };
  };
  const strip = (object: Json, ownerId: string | undefined): Json =>
    Object.fromEntries(
      Object.entries(object).flatMap(([key, value]) => {
        const nodes = connectionNodes(value);
        if (nodes) {
          nodes.forEach((node) => emit(node, ownerId));
          return [];
        }
        if (value && typeof value === 'object' && !Array.isArray(value))
          return [[key, strip(value as Json, ownerId)]];
        return [[key, value]];
      }),
    );
  for (const value of Object.values(data)) connectionNodes(value)?.forEach((node) => emit(node, undefined));
  return lines;
}

export class BulkOperations {
  private latest: Running | undefined;
  private readonly byId = new Map<string, Running>();
  private readonly files = new Map<string, string>();
  private sequence = 0;

  constructor(
    private readonly schema: GraphQLSchema,
    private readonly rootValue: () => Record<string, unknown>,
  ) {}

  /** `bulkOperationRunQuery`: started, or refused in `userErrors`. */
  run(
    query: string,
    fileUrl: (id: string) => string,
  ): { bulkOperation: BulkOperation | null; userErrors: Json[] } {
    const running = this.current();
    if (running && ['CREATED', 'RUNNING'].includes(running.status))
      return {
        bulkOperation: null,
        userErrors: [
          {
            field: ['query'],
            message: `A bulk query operation for this app and shop is already in progress: ${running.id}.`,
            code: 'OPERATION_IN_PROGRESS',
          },
        ],
      };
    const refusal = bulkQueryRefusal(query);
    if (refusal)
      return { bulkOperation: null, userErrors: [{ field: ['query'], message: refusal, code: 'INVALID' }] };
    this.sequence += 1;
    const id = gid('BulkOperation', `${Date.now()}${this.sequence}`);
    const result = withUnboundedConnections(() =>
      graphqlSync({ schema: this.schema, source: query, rootValue: this.rootValue() }),
    );
    const lines = result.errors || !result.data ? [] : jsonLines(result.data as Json);
    const key = randomUUID();
    const body = lines.map((l) => JSON.stringify(l)).join('\n') + (lines.length ? '\n' : '');
    this.files.set(key, body);
    this.latest = {
      operation: {
        id,
        status: 'CREATED',
        errorCode: null,
        query,
        createdAt: new Date().toISOString(),
        completedAt: null,
        objectCount: '0',
        rootObjectCount: '0',
        fileSize: null,
        url: lines.length ? fileUrl(key) : null,
        partialDataUrl: null,
        type: 'QUERY',
      },
      lines: body,
      objects: lines.length,
      roots: lines.filter((l) => !('__parentId' in l)).length,
      failed: Boolean(result.errors),
      doneAt: Date.now() + Math.max(300, lines.length / 20),
    };
    this.byId.set(id, this.latest);
    return { bulkOperation: this.current(), userErrors: [] };
  }

  /** `currentBulkOperation`: the shop's latest, as it stands now. */
  current(): BulkOperation | null {
    return this.latest ? this.standing(this.latest) : null;
  }

  /** An operation by its id (`node(id:)` / `nodes(ids:)`), as it stands now. */
  find(id: string): BulkOperation | null {
    const run = this.byId.get(id);
    return run ? this.standing(run) : null;
  }

  private standing(run: Running): BulkOperation {
    const done = Date.now() >= run.doneAt;
    if (!done) return { ...run.operation, status: 'RUNNING', url: null };
    if (run.failed)
      return { ...run.operation, status: 'FAILED', errorCode: 'INTERNAL_SERVER_ERROR', url: null };
    return {
      ...run.operation,
      status: 'COMPLETED',
      completedAt: new Date(run.doneAt).toISOString(),
      objectCount: String(run.objects),
      rootObjectCount: String(run.roots),
      fileSize: String(Buffer.byteLength(run.lines)),
    };
  }

  /** The JSONL file behind a completed operation's `url`. */
  file(key: string): string | undefined {
    return this.files.get(key);
  }
}

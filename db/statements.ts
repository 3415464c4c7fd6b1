import { createHash } from 'node:crypto';
import type { Sequelize, Transaction } from 'sequelize';

interface PgClient {
  query(query: { name?: string; text: string; values: readonly unknown[] }): Promise<{ rows: unknown[] }>;
}

/**
 * Statement texts are prepared once a connection (named by their hash): PostgreSQL then skips
 * parsing and, once it settles on a generic plan, planning. A few dozen texts run on an order's
 * path; a text past this many distinct ones runs unprepared, so a text built from data cannot
 * fill the server's memory with statements.
 */
const MOST_PREPARED = 256;
const names = new Map<string, string>();
const unprepared = new WeakSet<Sequelize>();

function preparedName(sequelize: Sequelize, text: string): string | undefined {
  if (unprepared.has(sequelize)) return undefined;
  const known = names.get(text);
  if (known || names.size >= MOST_PREPARED) return known;
  const name = `crossdock_${createHash('sha1').update(text).digest('hex').slice(0, 24)}`;
  names.set(text, name);
  return name;
}

/**
 * This database's statements run unprepared (`DATABASE_PREPARED_STATEMENTS=off`): for a pooler
 * in transaction mode that does not carry prepared statements between server connections.
 */
export function runUnprepared(sequelize: Sequelize): void {
  unprepared.add(sequelize);
}

interface PoolAccess {
  getConnection(): Promise<PgClient>;
  releaseConnection(client: PgClient): Promise<void>;
}

/**
 * One statement with bind parameters ($1, $2…), handed straight to the pg client: a connection of
 * Sequelize's pool, or the transaction's. The statements on an order's path go so (about 25 an
 * order): Sequelize's query pipeline (scanning the text for its parameters, options, formatting
 * the result) made a read cost 138–213 µs of CPU against 64–74 through the client alone (`npm run
 * bench:statements`, warmed rounds of two runs; docs/benchmarks.md). Rows come back as pg reads
 * them, as `sequelize.query` with `QueryTypes.SELECT` gave them. Errors are pg's (their code and
 * message are what `isInfrastructureUnavailable` reads), or Sequelize's when no connection can be
 * had. One statement a call: bind parameters take no multi-statement text. Each text is prepared
 * once a connection (below).
 */
export async function rowsOf<T>(
  sequelize: Sequelize,
  text: string,
  values: readonly unknown[],
  transaction?: Transaction,
): Promise<T[]> {
  const query = { name: preparedName(sequelize, text), text, values: values.map(boundValue) };
  if (transaction) {
    // A transaction holds its connection from BEGIN to COMMIT; a finished one has given it back.
    const { connection, finished } = transaction as unknown as { connection?: PgClient; finished?: string };
    if (!connection || finished) throw new Error(`the transaction is ${finished ?? 'not started'}`);
    return (await connection.query(query)).rows as T[];
  }
  const pool = sequelize.connectionManager as unknown as PoolAccess;
  const client = await pool.getConnection();
  try {
    return (await client.query(query)).rows as T[];
  } finally {
    await pool.releaseConnection(client);
  }
}

/**
 * A parameter as Sequelize's bind step passed it: undefined is refused (pg would send NULL), and
 * the NUL character, which PostgreSQL stores in no text, is written as the two characters `\0`
 * (a carrier's tracking code is stored altered, as before, rather than failing its webhook).
 */
function boundValue(value: unknown, index: number): unknown {
  if (value === undefined) throw new Error(`bind parameter $${index + 1} is undefined`);
  return typeof value === 'string' ? value.replace(/\0/g, '\\0') : value;
}

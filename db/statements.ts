import type { Sequelize, Transaction } from 'sequelize';

interface PgClient {
  query(text: string, values: readonly unknown[]): Promise<{ rows: unknown[] }>;
}

interface PoolAccess {
  getConnection(): Promise<PgClient>;
  releaseConnection(client: PgClient): Promise<void>;
}

/**
 * One statement with bind parameters ($1, $2…), handed straight to the pg client: a connection of
 * Sequelize's pool, or the transaction's. The statements on an order's path go so (about 28 an
 * order): Sequelize's query pipeline (scanning the text for its parameters, options, formatting
 * the result) made a read cost 138–213 µs of CPU against 64–74 through the client alone (`npm run
 * bench:statements`, warmed rounds of two runs; docs/benchmarks.md). Rows come back as pg reads them, as `sequelize.query` with
 * `QueryTypes.SELECT` gave them. Errors are pg's (their code and message are what
 * `isInfrastructureUnavailable` reads), or Sequelize's when no connection can be had. One
 * statement a call: bind parameters take no multi-statement text.
 */
export async function rowsOf<T>(
  sequelize: Sequelize,
  text: string,
  values: readonly unknown[],
  transaction?: Transaction,
): Promise<T[]> {
  const bound = values.map(boundValue);
  if (transaction) {
    // A transaction holds its connection from BEGIN to COMMIT; a finished one has given it back.
    const { connection, finished } = transaction as unknown as { connection?: PgClient; finished?: string };
    if (!connection || finished) throw new Error(`the transaction is ${finished ?? 'not started'}`);
    return (await connection.query(text, bound)).rows as T[];
  }
  const pool = sequelize.connectionManager as unknown as PoolAccess;
  const client = await pool.getConnection();
  try {
    return (await client.query(text, bound)).rows as T[];
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

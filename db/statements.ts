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
  if (transaction) {
    // A transaction holds its connection from BEGIN to COMMIT.
    const held = (transaction as unknown as { connection?: PgClient }).connection;
    if (!held) throw new Error('the transaction holds no connection');
    return (await held.query(text, values)).rows as T[];
  }
  const pool = sequelize.connectionManager as unknown as PoolAccess;
  const client = await pool.getConnection();
  try {
    return (await client.query(text, values)).rows as T[];
  } finally {
    await pool.releaseConnection(client);
  }
}

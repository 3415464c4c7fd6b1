import { createDatabase } from '../../db/database';
import { rowsOf } from '../../db/statements';
import { endpointsFromEnv } from '../support/hub';
import { databaseForTests } from '../support/database';

/** Statements straight to the pg client pass their parameters as Sequelize's bind step did. */
describe('rowsOf', () => {
  const database = databaseForTests();

  it('reads rows with bind parameters, in and out of a transaction', async () => {
    expect(await rowsOf(database(), 'SELECT $1::int + $2::int AS sum', [2, 3])).toEqual([{ sum: 5 }]);
    const inside = await database().transaction((transaction) =>
      rowsOf<{ text: string }>(database(), 'SELECT $1::text AS text', ['held'], transaction),
    );
    expect(inside).toEqual([{ text: 'held' }]);
  });

  it('writes the NUL character as the two characters \\0 and refuses an undefined parameter', async () => {
    expect(await rowsOf(database(), 'SELECT $1::text AS text', ['1Z\u0000X'])).toEqual([{ text: '1Z\\0X' }]);
    await expect(rowsOf(database(), 'SELECT $1::text AS text', [undefined])).rejects.toThrow(
      'bind parameter $1 is undefined',
    );
  });

  it('refuses a transaction that has finished (its connection went back to the pool)', async () => {
    let finished: Parameters<typeof rowsOf>[3];
    await database().transaction(async (transaction) => {
      finished = transaction;
    });
    await expect(rowsOf(database(), 'SELECT 1', [], finished)).rejects.toThrow('the transaction is commit');
  });

  it('prepares each text once a connection, unless the database is told not to', async () => {
    const text = `SELECT $1::text AS text, 'prepared' AS how`;
    const preparedOn = async (sequelize: ReturnType<typeof database>) =>
      sequelize.transaction(async (transaction) => {
        for (const word of ['one', 'two'])
          expect(await rowsOf(sequelize, text, [word], transaction)).toEqual([
            { text: word, how: 'prepared' },
          ]);
        return rowsOf<{ statement: string }>(
          sequelize,
          `SELECT statement FROM pg_prepared_statements WHERE name LIKE 'crossdock\\_%'`,
          [],
          transaction,
        );
      });
    expect((await preparedOn(database())).map((s) => s.statement)).toContain(text);
    const unprepared = createDatabase(endpointsFromEnv().databaseUrl, { preparedStatements: false });
    try {
      expect(await preparedOn(unprepared)).toEqual([]);
    } finally {
      await unprepared.close();
    }
  });
});

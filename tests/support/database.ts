import type { Sequelize } from 'sequelize';
import { createDatabase } from '../../db/database';
import { endpointsFromEnv } from './hub';

/**
 * Opens the test database before the enclosing describe's tests and closes it after them; call
 * it in the describe, and read the connection through the accessor it returns.
 */
export function databaseForTests(): () => Sequelize {
  let sequelize: Sequelize | undefined;
  beforeAll(() => {
    sequelize = createDatabase(endpointsFromEnv().databaseUrl);
  });
  afterAll(async () => {
    await sequelize?.close();
  });
  return () => {
    if (!sequelize) throw new Error('the database is read before it opened');
    return sequelize;
  };
}

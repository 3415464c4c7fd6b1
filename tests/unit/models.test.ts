import { Sequelize } from 'sequelize';
import { modelsOf, Shipment } from '../../db/models';

// No connection is opened: a Sequelize handle connects on its first query.
describe('database models', () => {
  const first = new Sequelize('postgres://hub@127.0.0.1:1/first', { logging: false });
  const second = new Sequelize('postgres://hub@127.0.0.1:1/second', { logging: false });
  afterAll(async () => {
    await first.close();
    await second.close();
  });

  it('are bound to the handle they were asked of, so two hubs in one process never share a pool', () => {
    expect(modelsOf(first).Shipment.sequelize).toBe(first);
    expect(modelsOf(second).Shipment.sequelize).toBe(second);
    expect(modelsOf(first).Shipment).not.toBe(modelsOf(second).Shipment);
  });

  it('are defined once per handle', () => {
    expect(modelsOf(first)).toBe(modelsOf(first));
    expect(modelsOf(first).Shipment.getTableName()).toBe('shipments');
  });

  it('cannot be queried without a handle: the declared classes are bound to none', () => {
    modelsOf(first);
    expect(Shipment.sequelize).toBeUndefined();
  });
});

import type { Sequelize } from 'sequelize';
import { claimCarrierShipment } from '../../activities/orders/labels';
import { postOnce } from '../../activities/shared/postings';
import { createDatabase } from '../../db/database';
import { modelsOf } from '../../db/models';
import { uniqueId } from '../support/fixtures';
import { endpointsFromEnv } from '../support/hub';

/**
 * The rows that keep partner effects to one: a posting's remote id and a parcel's carrier
 * shipment, each claimed by one statement, racing in real PostgreSQL.
 */
describe('rows that keep a partner effect to one', () => {
  let sequelize: Sequelize;
  const pause = () => new Promise((resolve) => setTimeout(resolve, 20));

  beforeAll(() => {
    sequelize = createDatabase(endpointsFromEnv().databaseUrl);
  });
  afterAll(async () => {
    await sequelize.close();
  });

  it('posts a document once; a later attempt gets the recorded id without posting', async () => {
    const key = { tenantId: 'acme', connectorId: 'qbo', kind: 'invoice', reference: uniqueId('order') };
    let posts = 0;
    const post = async () => `remote-${++posts}`;
    expect(await postOnce(sequelize, key, post)).toBe('remote-1');
    expect(await postOnce(sequelize, key, post)).toBe('remote-1');
    expect(posts).toBe(1);
  });

  it('gives racing attempts one recorded id, whichever posted first', async () => {
    const key = { tenantId: 'acme', connectorId: 'qbo', kind: 'payment', reference: uniqueId('order') };
    let posts = 0;
    const post = async () => {
      const id = `remote-${++posts}`;
      await pause();
      return id;
    };
    const ids = await Promise.all(Array.from({ length: 6 }, () => postOnce(sequelize, key, post)));
    expect(new Set(ids).size).toBe(1);
    const rows = await modelsOf(sequelize).PartnerPosting.findAll({ where: key });
    expect(rows.map((row) => row.remoteId)).toEqual([ids[0]]);
  });

  it('gives a parcel one carrier shipment, however many attempts create one', async () => {
    const key = { tenantId: 'acme', shipmentKey: uniqueId('parcel') };
    let created = 0;
    const create = async () => {
      const id = `shp_${++created}`;
      await pause();
      return { id, rates: [] } as never;
    };
    const row = { orderKey: uniqueId('order'), connectorId: 'easypost', locationId: 'dc-1' };
    const ids = await Promise.all(
      Array.from({ length: 6 }, () => claimCarrierShipment(sequelize, key, row, create)),
    );
    expect(new Set(ids).size).toBe(1);
    const shipment = await modelsOf(sequelize).Shipment.findOne({ where: key });
    expect(shipment).toMatchObject({ carrierShipmentId: ids[0], status: 'created', locationId: 'dc-1' });
    // A later attempt follows the claimed one and creates nothing.
    expect(await claimCarrierShipment(sequelize, key, row, create)).toBe(ids[0]);
    expect(created).toBe(6);
  });
});

import { claimCarrierShipment } from '../../activities/orders/labels';
import { postOnce } from '../../activities/shared/postings';
import { modelsOf } from '../../db/models';
import { uniqueId } from '../support/fixtures';
import { databaseForTests } from '../support/database';

/**
 * The rows that keep partner effects to one: a posting's remote id and a parcel's carrier
 * shipment, each claimed by one statement, racing in real PostgreSQL.
 */
describe('rows that keep a partner effect to one', () => {
  const database = databaseForTests();
  const pause = () => new Promise((resolve) => setTimeout(resolve, 20));

  it('posts a document once; a later attempt gets the recorded id without posting', async () => {
    const key = { tenantId: 'acme', connectorId: 'qbo', kind: 'invoice', reference: uniqueId('order') };
    let posts = 0;
    const post = async () => `remote-${++posts}`;
    expect(await postOnce(database(), key, post)).toBe('remote-1');
    expect(await postOnce(database(), key, post)).toBe('remote-1');
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
    const ids = await Promise.all(Array.from({ length: 6 }, () => postOnce(database(), key, post)));
    expect(new Set(ids).size).toBe(1);
    const rows = await modelsOf(database()).PartnerPosting.findAll({ where: key });
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
      Array.from({ length: 6 }, () => claimCarrierShipment(database(), key, row, create)),
    );
    expect(new Set(ids).size).toBe(1);
    const shipment = await modelsOf(database()).Shipment.findOne({ where: key });
    expect(shipment).toMatchObject({ carrierShipmentId: ids[0], status: 'created', locationId: 'dc-1' });
    // A later attempt follows the claimed one and creates nothing.
    expect(await claimCarrierShipment(database(), key, row, create)).toBe(ids[0]);
    expect(created).toBe(6);
  });
});

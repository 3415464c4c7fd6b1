import { ORDER_PATCH_SETS } from '../../workflows/orders/order-process';

/** A run takes the newest set it finds: each set must keep every patch of the sets before it. */
describe('patch sets', () => {
  it('holds in each set of the order every patch of the older sets, newest first', () => {
    expect(ORDER_PATCH_SETS.length).toBeGreaterThan(1);
    ORDER_PATCH_SETS.forEach((set, i) => {
      for (const older of ORDER_PATCH_SETS.slice(i + 1))
        expect(older.patches.filter((patch) => !set.patches.includes(patch))).toEqual([]);
    });
    expect(new Set(ORDER_PATCH_SETS.map((set) => set.id)).size).toBe(ORDER_PATCH_SETS.length);
  });
});

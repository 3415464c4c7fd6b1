import { z } from 'zod';
import type { ChannelVariant } from '../../domain/master-data/catalogue-import';
import type { SquareOrder } from '../../domain/orders/channels/square';
import type { ConnectorConfig } from '../../platform/config/schema';
import type { PartnerHttpClient } from '../http/client';
import { bearerAuthorization, connectorHttpClient } from '../http/connector-client';
import { hmacSha256, signaturesMatch } from '../http/signatures';
import { connectorOptions, credential } from '../options';

const optionsSchema = z
  .object({
    squareVersion: z.string().default('2024-10-17'),
    /** The URL Square posts webhooks to, exactly as registered: Square signs URL + body. */
    notificationUrl: z.url(),
    /** For a hotel's outlets: the property whose rooms `room:<number>` references name. */
    propertyId: z.string().min(1).optional(),
  })
  .strict();

/** A Square seller account: Orders API for orders, Catalog API to turn variations into SKUs. */
export class SquareConnector {
  private readonly client: PartnerHttpClient;
  readonly options: z.infer<typeof optionsSchema>;
  private readonly signatureKey: string;

  constructor(readonly config: ConnectorConfig) {
    this.options = connectorOptions(config, optionsSchema);
    this.signatureKey = credential(config, 'signatureKey');
    this.client = connectorHttpClient(config, 'square', {
      headers: {
        ...bearerAuthorization(config, 'accessToken'),
        'Square-Version': this.options.squareVersion,
      },
    });
  }

  /** `x-square-hmacsha256-signature` is base64 HMAC-SHA256 of notification URL + raw body. */
  verifyWebhook(rawBody: Buffer, signature: string | undefined): boolean {
    const payload = Buffer.concat([Buffer.from(this.options.notificationUrl), rawBody]);
    return signaturesMatch(hmacSha256(this.signatureKey, payload, 'base64'), signature);
  }

  async getOrder(orderId: string): Promise<SquareOrder> {
    const response = await this.client.get<{ order: SquareOrder }>(
      `v2/orders/${encodeURIComponent(orderId)}`,
    );
    return response.order;
  }

  /** The seller's catalogue: every item variation with its item's name and SKU (Square keeps no weight). */
  async catalogue(onPage: () => void = () => undefined): Promise<ChannelVariant[]> {
    const items = new Map<string, string>();
    const variations: Array<{ id: string; itemId?: string; name?: string; sku?: string }> = [];
    let cursor: string | undefined;
    do {
      const page: {
        objects?: Array<{
          id: string;
          type: string;
          is_deleted?: boolean;
          item_data?: { name?: string };
          item_variation_data?: { item_id?: string; name?: string; sku?: string };
        }>;
        cursor?: string;
      } = await this.client.get('v2/catalog/list', {
        params: { types: 'ITEM,ITEM_VARIATION', ...(cursor ? { cursor } : {}) },
      });
      for (const object of page.objects ?? []) {
        if (object.is_deleted) continue;
        if (object.type === 'ITEM') items.set(object.id, object.item_data?.name ?? object.id);
        if (object.type === 'ITEM_VARIATION')
          variations.push({
            id: object.id,
            itemId: object.item_variation_data?.item_id,
            name: object.item_variation_data?.name,
            sku: object.item_variation_data?.sku,
          });
      }
      cursor = page.cursor;
      onPage();
    } while (cursor);
    return variations.map((v) => ({
      variantId: v.id,
      productTitle: (v.itemId && items.get(v.itemId)) || v.name || v.id,
      title: v.name ?? '',
      sku: v.sku ?? null,
      tracked: true,
    }));
  }

  /** SKUs of the catalog item variations an order names, by variation id. */
  async skusFor(catalogObjectIds: string[]): Promise<Record<string, string>> {
    if (catalogObjectIds.length === 0) return {};
    const response = await this.client.post<{
      objects?: Array<{ id: string; type: string; item_variation_data?: { sku?: string } }>;
    }>('v2/catalog/batch-retrieve', { object_ids: catalogObjectIds, include_related_objects: false });
    return Object.fromEntries(
      (response.objects ?? [])
        .filter((object) => object.type === 'ITEM_VARIATION' && object.item_variation_data?.sku)
        .map((object) => [object.id, object.item_variation_data!.sku!]),
    );
  }
}

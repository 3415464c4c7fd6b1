import { z } from 'zod';
import type { SquareOrder } from '../../domain/orders/channels/square';
import type { ConnectorConfig } from '../../platform/config/schema';
import { PartnerHttpClient } from '../http/client';
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
    this.client = new PartnerHttpClient({
      partner: `square ${config.id}`,
      baseUrl: config.baseUrl,
      timeoutMs: config.timeouts.requestMs,
      headers: {
        Authorization: `Bearer ${credential(config, 'accessToken')}`,
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

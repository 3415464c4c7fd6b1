import { z } from 'zod';
import type { ConnectorConfig } from '../../platform/config/schema';
import type { PartnerHttpClient } from '../http/client';
import { bearerAuthorization, connectorHttpClient } from '../http/connector-client';

export interface RoomKey {
  id: string;
  room: string;
  code: string;
  status: 'active' | 'revoked';
}

const keySchema = z.object({
  id: z.string(),
  reference: z.string(),
  room: z.string(),
  code: z.string(),
  status: z.enum(['active', 'revoked']),
});

/**
 * A door-lock key service over HTTP (bearer token). Keys carry our reference, so issuing looks
 * for an active key of that reference first: a retried check-in never encodes a second key.
 */
export class LockConnector {
  readonly connectorId: string;
  private readonly client: PartnerHttpClient;

  constructor(config: ConnectorConfig) {
    this.connectorId = config.id;
    this.client = connectorHttpClient(config, 'lock', { headers: bearerAuthorization(config, 'apiToken') });
  }

  async keysFor(reference: string): Promise<RoomKey[]> {
    const { keys } = await this.client.get<{ keys: unknown[] }>('keys', { params: { reference } });
    return keys.map((k) => keySchema.parse(k));
  }

  async issueKey(request: {
    reference: string;
    room: string;
    guestName: string;
    validFrom: string;
    validUntil: string;
  }): Promise<RoomKey> {
    const active = (await this.keysFor(request.reference)).find(
      (k) => k.status === 'active' && k.room === request.room,
    );
    if (active) return active;
    const { key } = await this.client.post<{ key: unknown }>('keys', request);
    return keySchema.parse(key);
  }

  async revokeKey(id: string): Promise<void> {
    await this.client.post(`keys/${encodeURIComponent(id)}/revoke`);
  }
}

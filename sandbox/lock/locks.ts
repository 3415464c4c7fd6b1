import { randomInt, randomUUID } from 'node:crypto';
import type { Router, Request, Response } from 'express';
import { routerBehindBearer, type SecretSource } from '../shared/secrets';

interface Key {
  id: string;
  reference: string;
  room: string;
  guestName: string;
  validFrom: string;
  validUntil: string;
  /** What the encoder writes to the card (or sends to the guest's phone). */
  code: string;
  status: 'active' | 'revoked';
  revokedAt: string | null;
}

function lockError(res: Response, status: number, code: string, message: string): void {
  res.status(status).json({ error: { code, message } });
}

/**
 * A door-lock system's key service (card encoder or mobile keys): keys per room with a validity
 * window and a reference, listed by reference so a client can look before it issues again, and
 * revoked by id. Revoking a revoked key is not an error.
 */
export class LockEmulator {
  readonly keys = new Map<string, Key>();

  constructor(private readonly secrets: SecretSource) {}

  activeKeys(): number {
    return [...this.keys.values()].filter((k) => k.status === 'active').length;
  }

  router(): Router {
    const router = routerBehindBearer(this.secrets, 'lockToken', (res) =>
      lockError(res, 401, 'unauthorized', 'a valid bearer token is required'),
    );
    router.get('/keys', (req, res) => {
      const reference = typeof req.query.reference === 'string' ? req.query.reference : undefined;
      res.json({ keys: [...this.keys.values()].filter((k) => !reference || k.reference === reference) });
    });
    router.post('/keys', (req, res) => this.issue(req, res));
    router.post('/keys/:id/revoke', (req, res) => {
      const key = this.keys.get(String(req.params.id));
      if (!key) return lockError(res, 404, 'not_found', 'no such key');
      if (key.status === 'active')
        Object.assign(key, { status: 'revoked', revokedAt: new Date().toISOString() });
      res.json({ key });
    });
    return router;
  }

  private issue(req: Request, res: Response): void {
    const body = (req.body ?? {}) as Partial<Key>;
    for (const field of ['reference', 'room', 'validFrom', 'validUntil'] as const) {
      if (!body[field]) return lockError(res, 422, 'missing_field', `${field} is required`);
    }
    if (Date.parse(body.validUntil!) <= Date.parse(body.validFrom!))
      return lockError(res, 422, 'invalid_window', 'validUntil must be after validFrom');
    const key: Key = {
      id: randomUUID(),
      reference: body.reference!,
      room: body.room!,
      guestName: body.guestName ?? '',
      validFrom: body.validFrom!,
      validUntil: body.validUntil!,
      code: String(randomInt(10 ** 8)).padStart(8, '0'),
      status: 'active',
      revokedAt: null,
    };
    this.keys.set(key.id, key);
    res.status(201).json({ key });
  }
}

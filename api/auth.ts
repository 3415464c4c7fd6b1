import { createHash } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import type { ApiScope, HubConfig, TenantConfig } from '../platform/config/schema';
import { readSecret } from '../platform/config/load';
import { sendError } from './errors';

function digest(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

/** Who a key is: its tenant and what it may do. */
export interface KeyHolder {
  tenant: TenantConfig;
  scopes: readonly ApiScope[];
}

/**
 * Maps API keys to their tenant and scopes. Keys are held only as SHA-256 digests and looked up
 * by digest, so comparing a presented key leaks nothing about stored ones through timing.
 */
export class ApiKeyIndex {
  private readonly byDigest = new Map<string, KeyHolder>();

  constructor(config: HubConfig, env: NodeJS.ProcessEnv = process.env) {
    for (const tenant of config.tenants) {
      for (const key of tenant.apiKeys)
        this.byDigest.set(digest(readSecret(key, env)), { tenant, scopes: key.scopes });
    }
  }

  holderOf(key: string): KeyHolder | undefined {
    return this.byDigest.get(digest(key));
  }
}

export function presentedKey(req: Request): string | undefined {
  const header = req.headers.authorization;
  if (header?.startsWith('Bearer ')) return header.slice(7).trim();
  const apiKey = req.headers['x-api-key'];
  return typeof apiKey === 'string' ? apiKey.trim() : undefined;
}

export interface TenantLocals {
  tenant: TenantConfig;
  scopes: readonly ApiScope[];
}

/** A response on the tenant's API: the tenant and its scopes are in `res.locals`. */
export type TenantResponse = Response<unknown, TenantLocals>;

export function requireTenant(index: ApiKeyIndex) {
  return (req: Request, res: TenantResponse, next: NextFunction): void => {
    const key = presentedKey(req);
    if (!key)
      return sendError(
        res,
        401,
        'unauthenticated',
        'send an API key as "Authorization: Bearer <key>" or "X-Api-Key"',
      );
    const holder = index.holderOf(key);
    if (!holder) return sendError(res, 401, 'unauthenticated', 'unknown API key');
    res.locals.tenant = holder.tenant;
    res.locals.scopes = holder.scopes;
    next();
  };
}

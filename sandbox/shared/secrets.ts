import { Router, type Response } from 'express';

/** Credentials the emulated partners accept, by the environment variable the hub's config names. */
export const SANDBOX_SECRETS = {
  easypostKey: 'CROSSDOCK_SANDBOX_EASYPOST_KEY',
  shopifyToken: 'CROSSDOCK_SANDBOX_SHOPIFY_TOKEN',
  shopifyWebhookSecret: 'CROSSDOCK_SANDBOX_SHOPIFY_WEBHOOK_SECRET',
  quickbooksToken: 'CROSSDOCK_SANDBOX_QUICKBOOKS_TOKEN',
  xeroToken: 'CROSSDOCK_SANDBOX_XERO_TOKEN',
  squareToken: 'CROSSDOCK_SANDBOX_SQUARE_TOKEN',
  squareSignatureKey: 'CROSSDOCK_SANDBOX_SQUARE_SIGNATURE_KEY',
  lockToken: 'CROSSDOCK_SANDBOX_LOCK_TOKEN',
  otaPassword: 'CROSSDOCK_SANDBOX_OTA_PASSWORD',
  otaPushPassword: 'CROSSDOCK_SANDBOX_OTA_PUSH_PASSWORD',
} as const;
export type SandboxSecret = keyof typeof SANDBOX_SECRETS;

/** Reads a secret at each call, so keys can be rotated while the sandbox runs. */
export type SecretSource = (name: SandboxSecret) => string | undefined;

export const secretsFromEnv =
  (env: NodeJS.ProcessEnv = process.env): SecretSource =>
  (name) =>
    env[SANDBOX_SECRETS[name]];

/** Bearer-token check shared by the emulators that use OAuth access tokens. */
export function bearerMatches(header: string | undefined, expected: string | undefined): boolean {
  return Boolean(expected) && header === `Bearer ${expected}`;
}

/**
 * A partner's router that lets through only requests bearing the sandbox's token for it; any
 * other is answered by `refuse`, in that partner's own error shape.
 */
export function routerBehindBearer(
  secrets: SecretSource,
  token: SandboxSecret,
  refuse: (res: Response) => void,
): Router {
  const router = Router();
  router.use((req, res, next) => {
    if (!bearerMatches(req.headers.authorization, secrets(token))) return refuse(res);
    next();
  });
  return router;
}

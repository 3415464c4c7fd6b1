import { readSettings } from '../platform/settings';
import { startSandbox } from './server';
import { SANDBOX_SECRETS } from './shared/secrets';

/** `npm run sandbox`: only the partner emulators, for connector development against them. */
async function main(): Promise<void> {
  const settings = readSettings();
  const sandbox = await startSandbox(
    settings.sandboxPort,
    {},
    process.env.CROSSDOCK_SANDBOX_HOST ?? '127.0.0.1',
  );
  const missing = Object.values(SANDBOX_SECRETS).filter((name) => !process.env[name]);
  console.log(`sandbox partners on ${sandbox.url}`);
  if (missing.length > 0)
    console.log(`partners refuse every call until these are set: ${missing.join(', ')}`);
  process.once('SIGINT', () => void sandbox.stop());
  process.once('SIGTERM', () => void sandbox.stop());
}

void main();

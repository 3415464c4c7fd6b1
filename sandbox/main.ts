import { readSettings } from '../platform/settings';
import { startSandbox } from './server';

/** `npm run sandbox`: only the partner emulators, for connector development against them. */
async function main(): Promise<void> {
  const settings = readSettings();
  const key = process.env.CROSSDOCK_SANDBOX_EASYPOST_KEY ?? 'sandbox-easypost-key';
  const sandbox = await startSandbox(
    settings.sandboxPort,
    { easypostApiKeys: () => [key] },
    process.env.CROSSDOCK_SANDBOX_HOST ?? '127.0.0.1',
  );
  console.log(`sandbox partners on ${sandbox.url} (EasyPost API key: ${key})`);
  process.once('SIGINT', () => void sandbox.stop());
  process.once('SIGTERM', () => void sandbox.stop());
}

void main();

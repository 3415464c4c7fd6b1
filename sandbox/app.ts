import express, { type Express } from 'express';
import { EasyPostEmulator } from './carrier/easypost';
import { FaultInjector, type FaultSettings } from './shared/faults';
import { CallRecorder } from './shared/recorder';

export interface SandboxOptions {
  /** API keys the emulated partners accept (read at each call, so they can be rotated). */
  easypostApiKeys: () => string[];
}

export interface Sandbox {
  app: Express;
  recorder: CallRecorder;
  faults: Record<string, FaultInjector>;
  easypost: EasyPostEmulator;
}

/**
 * Local emulators of partner APIs, each under its own prefix, with one control surface:
 *   GET/DELETE /__sandbox/calls[?partner=]   calls received (method, path, status)
 *   PUT /__sandbox/faults/:partner           fault knobs (5xx, 429 + Retry-After, latency, timeouts)
 *   DELETE /__sandbox/faults                 no faults anywhere
 */
export function createSandbox(options: SandboxOptions): Sandbox {
  const app = express();
  app.set('trust proxy', false);
  app.use(express.json({ limit: '2mb' }));
  const recorder = new CallRecorder();
  const easypost = new EasyPostEmulator(options.easypostApiKeys);
  const faults: Record<string, FaultInjector> = { easypost: new FaultInjector() };

  app.get('/__sandbox/calls', (req, res) => {
    res.json(recorder.list(typeof req.query.partner === 'string' ? req.query.partner : undefined));
  });
  app.delete('/__sandbox/calls', (_req, res) => {
    recorder.clear();
    res.status(204).end();
  });
  app.put('/__sandbox/faults/:partner', (req, res) => {
    const injector = faults[String(req.params.partner)];
    if (!injector) return res.status(404).json({ error: `unknown partner ${String(req.params.partner)}` });
    res.json(injector.configure(req.body as Partial<FaultSettings>));
  });
  app.delete('/__sandbox/faults', (_req, res) => {
    Object.values(faults).forEach((injector) => injector.reset());
    res.status(204).end();
  });
  app.get('/__sandbox/easypost/stats', (_req, res) => {
    res.json({ shipments: easypost.shipments.size, purchased: easypost.purchasedCount() });
  });

  app.use('/easypost', recorder.middleware('easypost'), faults.easypost!.middleware(), easypost.router());
  return { app, recorder, faults, easypost };
}

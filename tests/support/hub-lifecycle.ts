import type { HubConfig } from '../../platform/config/schema';
import { setTrackingProgression, type TrackingProgression } from './fixtures';
import { startTestHub, type TestHub } from './hub';
import { clearFaults } from './sandbox-faults';

/** Trackers that move by themselves: picked up after 0.3 s, delivered after 0.9 s. */
export const QUICK_DELIVERY: TrackingProgression = { inTransitAfterMs: 300, deliveredAfterMs: 900 };

/** Connectors give up on a partner call after 1.5 s, so a hang the sandbox injects costs little. */
export function shortPartnerTimeouts(config: HubConfig): void {
  for (const connector of config.connectors) connector.timeouts.requestMs = 1500;
}

export interface HubForTests {
  /** Changes the config before the hub starts (a tenant's policy, the connectors' timeouts). */
  adjust?: (config: HubConfig) => void;
  /** How new sandbox labels' trackers move from the start (null: they stay put). */
  tracking?: TrackingProgression | null;
  /** The tests themselves make trackers move, for some of their orders. */
  testsMoveTrackers?: boolean;
  /** The tests inject partner faults. */
  injectsFaults?: boolean;
}

/**
 * Starts a hub before the enclosing describe's tests and stops it after them; call it in the
 * describe, and read the hub through the accessor it returns. The sandbox is shared with the
 * next test file: trackers set moving stay put again, and injected faults are cleared, first.
 */
export function hubForTests(setup: HubForTests = {}): () => TestHub {
  let hub: TestHub | undefined;
  beforeAll(async () => {
    hub = await startTestHub(setup.adjust);
    if (setup.tracking !== undefined) await setTrackingProgression(hub.sandboxUrl, setup.tracking);
  });
  afterAll(async () => {
    if (hub && setup.injectsFaults) await clearFaults(hub.sandboxUrl);
    if (hub && (setup.tracking || setup.testsMoveTrackers))
      await setTrackingProgression(hub.sandboxUrl, null);
    await hub?.stop();
  });
  return () => {
    if (!hub) throw new Error('the hub is read before it started');
    return hub;
  };
}

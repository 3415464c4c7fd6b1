import { findTemporalCli } from '../platform/infra/temporal-cli';
import { ensureTimeSkippingServer } from '../platform/infra/time-skipping-server';
import { alpineBitsSchemaDir, ensureAlpineBitsSchemas } from '../platform/infra/alpinebits-schemas';
import { ensureKubernetesValidator } from '../platform/infra/kubernetes-validator';
import { ensureSchemathesis } from '../platform/infra/schemathesis';
import { readSettings } from '../platform/settings';

/**
 * Finds or builds the Temporal CLI and the Kubernetes manifest validator, installs the API fuzzer
 * (schemathesis), and resolves the time-skipping test server and the AlpineBits schemas into the cache.
 */
const { cacheDir } = readSettings();
console.log(`temporal CLI: ${findTemporalCli(cacheDir)}`);
console.log(`time-skipping server: ${ensureTimeSkippingServer(cacheDir)}`);
console.log(`Kubernetes manifest validator: ${ensureKubernetesValidator(cacheDir)}`);
console.log(`schemathesis: ${ensureSchemathesis(cacheDir)}`);
void ensureAlpineBitsSchemas(alpineBitsSchemaDir(cacheDir)).then((dir) =>
  console.log(`AlpineBits schemas: ${dir}`),
);

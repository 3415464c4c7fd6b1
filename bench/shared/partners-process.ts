import { startLocalS3 } from '../../platform/infra/s3-server';
import { startSandbox } from '../../sandbox/server';

/**
 * The benchmark's outside world in a process of its own: sandbox partners and the S3 server, so
 * their work is not counted against the hub's workers (in production they are other machines).
 * Prints one JSON line with their addresses once both listen.
 */
async function main(): Promise<void> {
  const sandbox = await startSandbox(0, {});
  const s3 = await startLocalS3({ directory: process.argv[2]!, port: 0, bucket: 'crossdock' });
  process.stdout.write(JSON.stringify({ sandboxUrl: sandbox.url, s3Endpoint: s3.endpoint }) + '\n');
  // Servers close once their connections do; a client that keeps one open (a killed hub's
  // keep-alive) must not keep this process alive: it exits within two seconds regardless.
  const stop = () => {
    setTimeout(() => process.exit(0), 2_000).unref();
    void Promise.all([sandbox.stop(), s3.stop()]).then(() => process.exit(0));
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

void main();

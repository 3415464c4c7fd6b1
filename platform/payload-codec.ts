import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { Payload, PayloadCodec } from '@temporalio/common';

/** Marks a payload this codec encrypted; anything else is read as it is (histories from before). */
export const ENCRYPTED_ENCODING = 'binary/encrypted';
/** Which key encrypted a payload, so keys can be rotated: new payloads take the first key. */
export const KEY_ID_METADATA = 'encryption-key-id';

const IV_BYTES = 12;
const TAG_BYTES = 16;
const text = (value: string) => new TextEncoder().encode(value);
const fromText = (bytes: Uint8Array | null | undefined) =>
  new TextDecoder().decode(bytes ?? new Uint8Array());

/** A payload as JSON: its metadata and data in base64, as protobuf's JSON mapping writes bytes. */
export interface PayloadJson {
  metadata?: Record<string, string>;
  data?: string;
}

export function payloadToJson(payload: Payload): PayloadJson {
  const metadata = Object.entries(payload.metadata ?? {}).map(([key, value]) => [
    key,
    Buffer.from(value ?? []).toString('base64'),
  ]);
  return { metadata: Object.fromEntries(metadata), data: Buffer.from(payload.data ?? []).toString('base64') };
}

export function payloadFromJson(json: PayloadJson): Payload {
  const metadata = Object.entries(json.metadata ?? {}).map(([key, value]) => [
    key,
    new Uint8Array(Buffer.from(value, 'base64')),
  ]);
  return {
    metadata: Object.fromEntries(metadata),
    data: new Uint8Array(Buffer.from(json.data ?? '', 'base64')),
  };
}

/**
 * Encrypts every payload the hub sends to Temporal (workflow inputs and results, activity
 * arguments and results, signals, Updates, queries, memos) with AES-256-GCM, so customers' and
 * guests' names, e-mails and addresses are not stored in clear in its history. Search attributes
 * are not payloads of a codec: they stay readable, and carry no personal data.
 */
export class EncryptionCodec implements PayloadCodec {
  private constructor(
    private readonly keys: ReadonlyMap<string, Buffer>,
    private readonly activeKeyId: string,
  ) {}

  /**
   * From `CROSSDOCK_PAYLOAD_KEYS`: `id:base64key` pairs, comma-separated, each key 32 bytes; the
   * first encrypts, all decrypt (add a new key first, keep the old ones while histories hold them).
   */
  static fromSpec(spec: string): EncryptionCodec {
    const keys = new Map<string, Buffer>();
    for (const [index, entry] of spec
      .split(',')
      .map((e) => e.trim())
      .filter(Boolean)
      .entries()) {
      const [id, encoded] = entry.split(':');
      const key = Buffer.from(encoded ?? '', 'base64');
      if (!id || !/^[\w.-]{1,40}$/.test(id) || key.length !== 32)
        throw new Error(
          `CROSSDOCK_PAYLOAD_KEYS entry ${index + 1} must be <id>:<32 bytes in base64> (id of letters, digits, ".", "_" or "-")`,
        );
      if (keys.has(id)) throw new Error(`CROSSDOCK_PAYLOAD_KEYS names key "${id}" twice`);
      keys.set(id, key);
    }
    const first = [...keys.keys()][0];
    if (!first) throw new Error('CROSSDOCK_PAYLOAD_KEYS holds no key');
    return new EncryptionCodec(keys, first);
  }

  /** A new key spec entry, `<id>:<32 random bytes in base64>` (for tests and operators' tooling). */
  static newKeyEntry(id: string): string {
    return `${id}:${randomBytes(32).toString('base64')}`;
  }

  async encode(payloads: Payload[]): Promise<Payload[]> {
    const key = this.keys.get(this.activeKeyId)!;
    return payloads.map((payload) => {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const sealed = Buffer.concat([
        iv,
        cipher.update(JSON.stringify(payloadToJson(payload))),
        cipher.final(),
        cipher.getAuthTag(),
      ]);
      return {
        metadata: { encoding: text(ENCRYPTED_ENCODING), [KEY_ID_METADATA]: text(this.activeKeyId) },
        data: new Uint8Array(sealed),
      };
    });
  }

  async decode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => {
      if (fromText(payload.metadata?.encoding) !== ENCRYPTED_ENCODING) return payload;
      const keyId = fromText(payload.metadata?.[KEY_ID_METADATA]);
      const key = this.keys.get(keyId);
      if (!key)
        throw new Error(`payload encrypted with key "${keyId}", which CROSSDOCK_PAYLOAD_KEYS does not hold`);
      const sealed = Buffer.from(payload.data ?? []);
      const decipher = createDecipheriv('aes-256-gcm', key, sealed.subarray(0, IV_BYTES));
      decipher.setAuthTag(sealed.subarray(sealed.length - TAG_BYTES));
      const opened = Buffer.concat([
        decipher.update(sealed.subarray(IV_BYTES, sealed.length - TAG_BYTES)),
        decipher.final(),
      ]);
      // Our own envelope inside the encryption: the payload as JSON.
      return payloadFromJson(JSON.parse(opened.toString('utf8')) as PayloadJson);
    });
  }
}

/** The codecs of this process: encryption when `CROSSDOCK_PAYLOAD_KEYS` is set, else none. */
export function payloadCodecsFromEnv(env: NodeJS.ProcessEnv = process.env): PayloadCodec[] {
  const spec = env.CROSSDOCK_PAYLOAD_KEYS;
  return spec ? [EncryptionCodec.fromSpec(spec)] : [];
}

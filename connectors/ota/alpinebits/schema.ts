import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import {
  ALPINEBITS_SCHEMA_FILES,
  alpineBitsSchemaDir,
  ensureAlpineBitsSchemas,
  type AlpineBitsSchemaVersion,
} from '../../../platform/infra/alpinebits-schemas';
import { readSettings } from '../../../platform/settings';
import { OtaMessageError } from './xml';

/**
 * The actions AlpineBits defines that the hub sends or takes; their requests and answers are
 * checked against the schema of their version. The hub's restrictions and rates messages are its
 * own extensions (AlpineBits carries those in RatePlans), so no AlpineBits schema covers them.
 */
export const SCHEMA_CHECKED_ACTIONS: ReadonlySet<string> = new Set([
  'OTA_Ping:Handshaking',
  'OTA_HotelInvCountNotif:FreeRooms',
  'OTA_HotelAvailNotif:FreeRooms',
  'OTA_HotelResNotif:GuestRequests',
  'OTA_Read:GuestRequests',
  'OTA_NotifReport:GuestRequests',
]);

/** The schema a message of a protocol version is checked against: its own, else the newest the hub has. */
export function schemaVersionFor(protocolVersion: string | undefined): AlpineBitsSchemaVersion {
  return protocolVersion === '2018-10' ? '2018-10' : '2020-10';
}

/**
 * libxml2 (compiled to WebAssembly) in a worker thread: the schemas are compiled once, and each
 * message is checked in well under a millisecond. The module is ECMAScript-only, which a worker
 * loads natively wherever the hub's own code runs (tsx, the build, the test runner).
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { readFileSync } = require('node:fs');
const { pathToFileURL } = require('node:url');
(async () => {
  const { XmlDocument, XsdValidator, RelaxNGValidator } = await import(pathToFileURL(workerData.libxml2).href);
  const read = (file) => XmlDocument.fromString(readFileSync(file, 'utf8'), { url: file });
  const validators = {};
  for (const [version, { xsd, rng }] of Object.entries(workerData.schemas))
    validators[version] = [XsdValidator.fromDoc(read(xsd)), RelaxNGValidator.fromDoc(read(rng))];
  const problems = (error) => {
    const found =
      error && Array.isArray(error.details) && error.details.length > 0
        ? error.details.map((d) => (d.line ? 'line ' + d.line + ': ' : '') + String(d.message).trim())
        : [String((error && error.message) || error).trim()];
    // RELAX NG adds that the root was none of the others it allows: noise beside the real complaint.
    const named = found.filter((p) => !/Expecting element [A-Za-z_]+, got [A-Za-z_]+$/.test(p));
    return named.length > 0 ? named : found;
  };
  parentPort.on('message', ({ id, version, xml }) => {
    let doc;
    try {
      doc = XmlDocument.fromString(xml);
      for (const validator of validators[version]) validator.validate(doc);
      parentPort.postMessage({ id, problems: [] });
    } catch (error) {
      parentPort.postMessage({ id, problems: problems(error) });
    } finally {
      if (doc) doc.dispose();
    }
  });
  parentPort.postMessage({ ready: true });
})().catch((error) => parentPort.postMessage({ failed: String((error && error.stack) || error) }));
`;

interface Pending {
  resolve: (problems: string[]) => void;
  reject: (error: Error) => void;
}

/** Checks AlpineBits messages against the official schemas of their version (XSD, then RELAX NG). */
export class AlpineBitsSchemas {
  private worker?: Promise<Worker>;
  private readonly pending = new Map<number, Pending>();
  private next = 0;
  private idle?: NodeJS.Timeout;

  /** The worker ends after this long without a message, and starts again on the next. */
  constructor(
    private readonly dir: string,
    private readonly idleMs = 30_000,
  ) {}

  /** What the schema finds wrong with a message ("line 3: Element 'X': …"); none when it is valid. */
  async problems(xml: string, version: AlpineBitsSchemaVersion): Promise<string[]> {
    const worker = await this.started();
    clearTimeout(this.idle);
    const id = this.next++;
    return new Promise<string[]>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      worker.postMessage({ id, version, xml });
    }).finally(() => {
      if (this.pending.size === 0) this.idle = setTimeout(() => void this.close(), this.idleMs).unref();
    });
  }

  /** Throws the schema's complaints, named as the schema's, when a message does not follow it. */
  async check(xml: string, version: AlpineBitsSchemaVersion): Promise<void> {
    const problems = await this.problems(xml, version);
    if (problems.length > 0)
      throw new OtaMessageError(problems.map((problem) => `AlpineBits ${version} schema: ${problem}`));
  }

  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    clearTimeout(this.idle);
    if (worker) await (await worker.catch(() => undefined))?.terminate();
  }

  private started(): Promise<Worker> {
    this.worker ??= this.start().catch((error: unknown) => {
      this.worker = undefined;
      throw error;
    });
    return this.worker;
  }

  private async start(): Promise<Worker> {
    await ensureAlpineBitsSchemas(this.dir);
    const schemas = Object.fromEntries(
      Object.entries(ALPINEBITS_SCHEMA_FILES).map(([version, { xsd, rng }]) => [
        version,
        { xsd: join(this.dir, xsd), rng: join(this.dir, rng) },
      ]),
    );
    const worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { libxml2: require.resolve('libxml2-wasm'), schemas },
    });
    worker.unref();
    await new Promise<void>((resolve, reject) => {
      worker.on('message', (message: { ready?: true; failed?: string; id?: number; problems?: string[] }) => {
        if (message.ready) return resolve();
        if (message.failed) return reject(new Error(`AlpineBits schemas: ${message.failed}`));
        const waiting = this.pending.get(message.id!);
        this.pending.delete(message.id!);
        waiting?.resolve(message.problems!);
      });
      worker.on('error', (error) => {
        reject(error);
        for (const waiting of this.pending.values()) waiting.reject(error);
        this.pending.clear();
        this.worker = undefined;
      });
    });
    return worker;
  }
}

let shared: AlpineBitsSchemas | undefined;

/** The process's schema checker, over the schemas in `CROSSDOCK_ALPINEBITS_SCHEMAS` or the cache. */
export function alpineBitsSchemas(): AlpineBitsSchemas {
  shared ??= new AlpineBitsSchemas(alpineBitsSchemaDir(readSettings().cacheDir));
  return shared;
}

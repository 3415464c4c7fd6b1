import { KIND_SCHEMAS } from '../../db/master-data/service';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parcelOf } from '../../domain/master-data/items';
import { shipsToCountry } from '../../domain/orders/routing';
import {
  integrityIssues,
  planChanges,
  planRetirement,
  recordId,
  recordsOfFile,
  resultingRecords,
  type MasterRecord,
  type StoredRecord,
} from '../../domain/master-data/plan';
import { ConfigError, loadConfigFile } from '../../platform/config/load';
import { jsonSchemas, SCHEMA_DIR, schemaText } from '../../platform/config/json-schemas';
import { openApiDocument } from '../../api/openapi';
import { apiRoutes } from '../../api/app';
import { createLogger } from '../../platform/logger';
import type { HubServices } from '../../platform/services';
import { MASTER_RESOURCES } from '../../api/routes/master-data';
import { loadSetupFile, parseSetupFile, setupFilesOf } from '../../platform/config/setup-files';
import { LODGE_FLEX_RATE, lodgeSetupFile } from '../support/setup-files';

const ROOT = join(__dirname, '..', '..');
const INVALID = join(ROOT, 'tests', 'fixtures', 'setup', 'invalid');

/** Records as PostgreSQL would hand them back after they were written by `manager`. */
function stored(records: MasterRecord[], manager: 'file' | 'api' = 'file'): Map<string, StoredRecord> {
  return new Map(
    records.map((r) => [
      recordId(r.kind, r.key),
      { ...r, managedBy: manager, retired: false } as StoredRecord,
    ]),
  );
}

/** The stored records after the planned changes are written (retired ones kept, as the tables do). */
function written(before: Map<string, StoredRecord>, changes: ReturnType<typeof planChanges>) {
  const after = new Map(before);
  for (const c of changes) {
    const id = recordId(c.kind, c.key);
    after.set(
      id,
      c.action === 'retire'
        ? { ...after.get(id)!, retired: true }
        : { ...c.record!, managedBy: c.managedBy, retired: false },
    );
  }
  return after;
}

const lodge = (extra: Record<string, unknown> = {}) =>
  lodgeSetupFile('alpine', {
    roomTypes: [
      { id: 'dbl', name: 'Double', maxOccupancy: 2 },
      { id: 'fam', name: 'Family', maxOccupancy: 4 },
    ],
    rooms: [
      { number: '101', roomTypeId: 'dbl' },
      { number: '201', roomTypeId: 'fam' },
    ],
    ratePlans: [LODGE_FLEX_RATE],
    ...extra,
  });

describe('setup files', () => {
  it('refuses every file of the invalid folder, naming the field its first line expects', () => {
    const files = readdirSync(INVALID).filter((f) => f.endsWith('.yaml'));
    expect(files.length).toBeGreaterThanOrEqual(15);
    for (const file of files) {
      const text = readFileSync(join(INVALID, file), 'utf8');
      const expected = /^# expect: (.+)$/m.exec(text)![1]!;
      let problems: string[] = [];
      try {
        parseSetupFile(text, file, file === 'wrong-tenant.yaml' ? 'acme' : undefined);
      } catch (error) {
        expect(error).toBeInstanceOf(ConfigError);
        problems = (error as ConfigError).problems;
      }
      expect({ file, problems }).toEqual({
        file,
        problems: expect.arrayContaining([expect.stringContaining(expected)]),
      });
    }
  });

  it('reads the sandbox tenants’ setup files named by the shipped config', () => {
    const configPath = join(ROOT, 'crossdock.config.yaml');
    const files = setupFilesOf(loadConfigFile(configPath), configPath);
    expect(files.map((f) => f.tenantId)).toEqual(['acme', 'globex', 'alpine']);
    const acme = loadSetupFile(files[0]!.path, 'acme');
    expect(acme.items.map((i) => i.sku)).toEqual(['TENT-2P', 'STOVE-1', 'MUG-TI', 'GIFT-CARD']);
    expect(acme.items[0]).toMatchObject({ weightGrams: 2100, openingStock: { reno: 40, newark: 25 } });
    const alpine = loadSetupFile(files[2]!.path, 'alpine');
    expect(alpine.properties[0]!.ratePlans[0]).toMatchObject({ amount: '140.00', guaranteeRequired: true });
  });

  it('starts each file with the line that points an editor at its JSON Schema', () => {
    for (const path of [
      'crossdock.config.yaml',
      ...readdirSync(join(ROOT, 'sandbox', 'setup')).map((f) => join('sandbox', 'setup', f)),
    ]) {
      const first = readFileSync(join(ROOT, path), 'utf8').split('\n')[0];
      expect({ path, first }).toEqual({
        path,
        first: expect.stringMatching(/^# yaml-language-server: \$schema=\S+\.schema\.json$/),
      });
    }
  });

  it('commits the JSON Schemas that the zod schemas generate today (npm run schemas)', () => {
    for (const [name, schema] of Object.entries(jsonSchemas()))
      expect({ name, text: readFileSync(join(ROOT, SCHEMA_DIR, name), 'utf8') }).toEqual({
        name,
        text: schemaText(schema),
      });
  });
});

describe('the master data API contract', () => {
  it('documents every master data route the API mounts, with its body schema, and the listings', () => {
    // Routes are declared without touching what serves them: the document needs no infrastructure.
    const unbound = new Proxy({} as HubServices, {
      get: (_target, key) => {
        throw new Error(`a route used services.${String(key)} while being declared`);
      },
    });
    const routes = apiRoutes(unbound, createLogger('silent'));
    const declared = [...routes.partners, ...routes.open, ...routes.tenant].flatMap((r) => r.declared);
    const document = openApiDocument(declared) as {
      paths: Record<string, Record<string, { requestBody?: unknown; responses: Record<string, unknown> }>>;
      components: { schemas: Record<string, { properties?: Record<string, unknown> }> };
    };
    for (const resource of MASTER_RESOURCES) {
      const collection = resource.collection.replace(':id', '{id}');
      expect(Object.keys(document.paths[collection] ?? {})).toEqual(['get']);
      const member = document.paths[`${collection}/{${resource.param}}`]!;
      expect(Object.keys(member).sort()).toEqual(['delete', 'get', 'put']);
      expect(Object.keys(member.put!.responses).sort()).toEqual([
        '200',
        '201',
        '400',
        '401',
        '403',
        '404',
        '409',
        '412',
        '422',
      ]);
      // The PUT body leaves the key out (the path names it); the record shown has it.
      const { keyField } = KIND_SCHEMAS[resource.kind];
      const name = `${resource.kind[0]!.toUpperCase()}${resource.kind.slice(1)}`;
      expect(Object.keys(document.components.schemas[`${name}Body`]!.properties!)).not.toContain(keyField);
      expect(Object.keys(document.components.schemas[`${name}Record`]!.properties!)).toEqual(
        expect.arrayContaining([keyField, 'managedBy', 'retired']),
      );
    }
    expect(Object.keys(document.components.schemas.ItemRecord!.properties!)).toEqual(
      expect.arrayContaining(['sku', 'weightGrams', 'dimensions', 'hsCode', 'countryOfOrigin', 'returnable']),
    );
    expect(Object.keys(document.components.schemas.RatePlanRecord!.properties!)).toEqual(
      expect.arrayContaining(['extraGuestAmount', 'mealsIncluded', 'noShow', 'guaranteeRequired', 'deposit']),
    );
    expect(Object.keys(document.paths['/v1/reservations']!).sort()).toEqual(['get', 'post']);
    for (const listing of ['/v1/inventory', '/v1/returns', '/v1/locations', '/v1/items', '/v1/properties'])
      expect(document.paths[listing]!.get).toBeDefined();
  });
});

describe('planning master data', () => {
  it('creates what a file declares, then finds nothing to do when it is applied again', () => {
    const { records } = recordsOfFile(lodge());
    const first = planChanges(new Map(), records, { manager: 'file', retireUndeclared: true });
    expect(first.map((c) => `${c.action} ${c.kind} ${c.key}`)).toEqual([
      'create property lodge',
      'create roomType lodge/dbl',
      'create roomType lodge/fam',
      'create room lodge/101',
      'create room lodge/201',
      'create ratePlan lodge/flex',
    ]);
    expect(
      planChanges(written(new Map(), first), records, { manager: 'file', retireUndeclared: true }),
    ).toEqual([]);
  });

  it('names the fields that changed, and takes over a record made through the API', () => {
    const before = stored(recordsOfFile(lodge()).records, 'api');
    const { records } = recordsOfFile(lodge({ name: 'Lodge & Spa' }));
    const changes = planChanges(before, records, { manager: 'file', retireUndeclared: true });
    expect(changes.find((c) => c.kind === 'property')).toMatchObject({
      action: 'change',
      fields: ['name', 'managedBy'],
    });
    expect(changes.filter((c) => c.kind !== 'property').every((c) => c.fields?.join() === 'managedBy')).toBe(
      true,
    );
  });

  it('retires what the file declared and no longer does, but never what the API made', () => {
    const before = stored(recordsOfFile(lodge()).records);
    before.set(recordId('item', 'MADE-BY-API'), {
      kind: 'item',
      key: 'MADE-BY-API',
      value: { sku: 'MADE-BY-API' },
      managedBy: 'api',
      retired: false,
    });
    const smaller = lodge({ rooms: [{ number: '101', roomTypeId: 'dbl' }] });
    const changes = planChanges(before, recordsOfFile(smaller).records, {
      manager: 'file',
      retireUndeclared: true,
    });
    expect(changes).toEqual([expect.objectContaining({ action: 'retire', kind: 'room', key: 'lodge/201' })]);
  });

  it('retires a room type with its rooms and rate plans, and a property with everything in it', () => {
    const before = stored(recordsOfFile(lodge()).records);
    const type = planRetirement(before, before.get(recordId('roomType', 'lodge/dbl'))!);
    expect(type.map((c) => `${c.kind} ${c.key}`)).toEqual([
      'ratePlan lodge/flex',
      'room lodge/101',
      'roomType lodge/dbl',
    ]);
    const property = planRetirement(before, before.get(recordId('property', 'lodge'))!);
    expect(property.map((c) => c.kind)).toEqual([
      'ratePlan',
      'room',
      'room',
      'roomType',
      'roomType',
      'property',
    ]);
  });

  it('restores a retired record the file declares again', () => {
    const before = stored(recordsOfFile(lodge()).records);
    before.set(recordId('room', 'lodge/201'), {
      ...before.get(recordId('room', 'lodge/201'))!,
      retired: true,
    });
    const changes = planChanges(before, recordsOfFile(lodge()).records, {
      manager: 'file',
      retireUndeclared: true,
    });
    expect(changes).toEqual([expect.objectContaining({ action: 'restore', key: 'lodge/201', fields: [] })]);
  });

  it('finds references that would break: a room of a retired type, an OTA mapping naming nothing', () => {
    const before = stored(recordsOfFile(lodge()).records);
    const withoutFam = resultingRecords(before, [
      { action: 'retire', kind: 'roomType', key: 'lodge/fam', managedBy: 'file' },
    ]);
    const mapping = {
      path: 'connectors[4]',
      connectorId: 'lodge-ota',
      tenantId: 'alpine',
      propertyId: 'lodge',
      roomTypes: { dbl: 'DOUBLE', fam: 'FAMILY' },
      ratePlans: { flex: 'FLEX', saver: 'SAVER' },
    };
    expect(integrityIssues(withoutFam, [mapping], 'alpine')).toEqual([
      {
        path: 'room lodge/201.roomTypeId',
        message: 'room type fam does not exist at property lodge or is retired',
      },
      {
        path: 'connectors[4].options.roomTypes.fam',
        message: 'lodge-ota maps room type fam, which property lodge does not sell',
      },
      {
        path: 'connectors[4].options.ratePlans.saver',
        message: 'lodge-ota maps rate plan saver, which property lodge does not sell',
      },
    ]);
  });

  /** A small deterministic generator, so a failing case can be replayed from its seed. */
  function random(seed: number): () => number {
    let state = seed >>> 0;
    return () => {
      state = (state * 1664525 + 1013904223) >>> 0;
      return state / 2 ** 32;
    };
  }

  it('converges in one apply from any stored state: planning again finds nothing (500 generated cases)', () => {
    for (let seed = 1; seed <= 500; seed++) {
      const next = random(seed);
      const pick = <T>(list: T[]) => list[Math.floor(next() * list.length)]!;
      const item = (sku: string) => ({
        kind: 'item' as const,
        key: sku,
        value: {
          sku,
          name: pick(['Mug', 'Tent', 'Stove']),
          weightGrams: pick([90, 800, 2100]),
          active: next() > 0.2,
        },
      });
      const skus = Array.from({ length: 8 }, (_, i) => `SKU-${i}`);
      const before = new Map<string, StoredRecord>();
      for (const sku of skus.filter(() => next() > 0.4))
        before.set(recordId('item', sku), {
          ...item(sku),
          managedBy: pick(['file', 'api'] as const),
          retired: next() > 0.7,
        });
      const declared = skus.filter(() => next() > 0.5).map(item);
      const changes = planChanges(before, declared, { manager: 'file', retireUndeclared: true });
      const after = written(before, changes);
      expect({
        seed,
        again: planChanges(after, declared, { manager: 'file', retireUndeclared: true }),
      }).toEqual({
        seed,
        again: [],
      });
      // Everything declared is live and the file's; what the API made and the file does not name is untouched.
      for (const record of declared)
        expect(after.get(recordId('item', record.key))).toMatchObject({ retired: false, managedBy: 'file' });
      for (const [id, record] of before)
        if (record.managedBy === 'api' && !declared.some((d) => recordId('item', d.key) === id))
          expect(after.get(id)).toEqual(record);
    }
  });
});

describe('what master data decides', () => {
  it('makes one parcel of the lines: their weight, and a box when every item has dimensions', () => {
    const mug = { weightGrams: 90, dimensions: { lengthMm: 90, widthMm: 90, heightMm: 100 } };
    const tent = { weightGrams: 2100, dimensions: { lengthMm: 550, widthMm: 180, heightMm: 180 } };
    expect(
      parcelOf([
        { ...tent, quantity: 1 },
        { ...mug, quantity: 2 },
      ]),
    ).toEqual({
      weightGrams: 2280,
      dimensions: { lengthMm: 550, widthMm: 180, heightMm: 380 },
    });
    expect(
      parcelOf([
        { ...tent, quantity: 1 },
        { weightGrams: 300, quantity: 1 },
      ]),
    ).toEqual({ weightGrams: 2400 });
  });

  it('routes only to locations that ship to the parcel’s country', () => {
    expect(shipsToCountry({ shipsTo: [] }, 'DE')).toBe(true);
    expect(shipsToCountry({ shipsTo: ['US', 'CA'] }, 'CA')).toBe(true);
    expect(shipsToCountry({ shipsTo: ['US', 'CA'] }, 'DE')).toBe(false);
  });
});

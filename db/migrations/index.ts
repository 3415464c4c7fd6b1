import type { MigrationFn } from '../migration';
import * as m0001 from './0001-inventory-and-shipments';
import * as m0002 from './0002-order-lifecycle';
import * as m0003 from './0003-returns';
import * as m0004 from './0004-property-model';
import * as m0005 from './0005-housekeeping-tasks';
import * as m0006 from './0006-channel-sync';
import * as m0007 from './0007-stock-sync';
import * as m0008 from './0008-master-data';
import * as m0009 from './0009-catalogue-imports';
import * as m0010 from './0010-state-indexes';
import * as m0011 from './0011-order-report-events';

/** Migrations in order. Listed explicitly so they run the same from sources and from a build. */
export const MIGRATIONS: Array<{ name: string; up: MigrationFn; down: MigrationFn }> = [
  { name: '0001-inventory-and-shipments', ...m0001 },
  { name: '0002-order-lifecycle', ...m0002 },
  { name: '0003-returns', ...m0003 },
  { name: '0004-property-model', ...m0004 },
  { name: '0005-housekeeping-tasks', ...m0005 },
  { name: '0006-channel-sync', ...m0006 },
  { name: '0007-stock-sync', ...m0007 },
  { name: '0008-master-data', ...m0008 },
  { name: '0009-catalogue-imports', ...m0009 },
  { name: '0010-state-indexes', ...m0010 },
  { name: '0011-order-report-events', ...m0011 },
];

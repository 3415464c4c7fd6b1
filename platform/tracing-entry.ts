import { basename, dirname } from 'node:path';
import { startTracing } from './tracing';

// Imported first by each process's main module (before express, axios or the Temporal SDK load
// `http`), so tracing sees every request: `crossdock-api`, `crossdock-worker`, `crossdock-scripts`.
startTracing(`crossdock-${basename(dirname(process.argv[1] ?? 'hub'))}`);

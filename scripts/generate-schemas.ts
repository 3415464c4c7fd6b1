import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { jsonSchemas, SCHEMA_DIR, schemaText } from '../platform/config/json-schemas';

/** `npm run schemas`: writes the JSON Schemas of the config and setup files (a test checks they are current). */
const root = join(__dirname, '..');
mkdirSync(join(root, SCHEMA_DIR), { recursive: true });
for (const [name, schema] of Object.entries(jsonSchemas())) {
  writeFileSync(join(root, SCHEMA_DIR, name), schemaText(schema));
  console.log(`wrote ${SCHEMA_DIR}/${name}`);
}

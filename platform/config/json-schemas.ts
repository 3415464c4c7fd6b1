import { z } from 'zod';
import { setupFileSchema } from '../../domain/master-data/setup-file';
import { hubConfigSchema } from './schema';

/** Where the generated schemas are committed, relative to the repository. */
export const SCHEMA_DIR = 'docs/schemas';

/**
 * JSON Schemas of the config file and the setup files, generated from the zod schemas that
 * validate them, so an integrator's editor checks and completes a file with the same rules as
 * start-up (each file names its schema on a `# yaml-language-server: $schema=…` line).
 */
export function jsonSchemas(): Record<string, unknown> {
  const generate = (schema: z.ZodType, title: string, id: string) => ({
    ...z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any', target: 'draft-7' }),
    $id: `https://crossdock.dev/schemas/${id}`,
    title,
  });
  return {
    'crossdock.config.schema.json': generate(
      hubConfigSchema,
      'Crossdock configuration (crossdock.config.yaml)',
      'crossdock.config.schema.json',
    ),
    'setup.schema.json': generate(setupFileSchema, 'Crossdock tenant setup file', 'setup.schema.json'),
  };
}

export function schemaText(schema: unknown): string {
  return `${JSON.stringify(schema, null, 2)}\n`;
}

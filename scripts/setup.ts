import { createDatabase, migrate } from '../db/database';
import { MasterDataRefused } from '../db/master-data/service';
import { ConfigError, loadConfigFile } from '../platform/config/load';
import { loadSetupFile, setupFilesOf } from '../platform/config/setup-files';
import { EMBEDDED_DATABASE_URL } from '../platform/infra/embedded-postgres';
import { masterDataService } from '../platform/services';
import { readSettings } from '../platform/settings';
import { describePlan } from '../intake/setup-files';

const USAGE = `usage: npm run setup -- plan|apply [tenant]

  plan   print what applying each tenant's setup file would create, change, restore or retire; writes nothing
  apply  apply it, one transaction per tenant (applying the same file again changes nothing)

The database is DATABASE_URL, or the one \`npm start\` runs (${EMBEDDED_DATABASE_URL}).`;

/** `npm run setup -- plan|apply [tenant]`: the tenants' setup files against the hub's database. */
async function main(argv: string[]): Promise<number> {
  const [command, tenant] = argv;
  if (command !== 'plan' && command !== 'apply') {
    console.error(USAGE);
    return 2;
  }
  const settings = readSettings();
  const config = loadConfigFile(settings.configPath);
  const files = setupFilesOf(config, settings.configPath).filter((f) => !tenant || f.tenantId === tenant);
  if (tenant && files.length === 0) {
    console.error(`tenant ${tenant} has no setup file in ${settings.configPath}`);
    return 2;
  }
  const sequelize = createDatabase(settings.databaseUrl ?? EMBEDDED_DATABASE_URL, { poolMax: 2 });
  try {
    await sequelize.authenticate().catch((error: unknown) => {
      throw new Error(
        `cannot reach the database (${(error as Error).message}): start the hub with npm start, or set DATABASE_URL`,
      );
    });
    await migrate(sequelize);
    const service = masterDataService(config, sequelize);
    let refused = false;
    for (const { tenantId, path } of files) {
      try {
        const file = loadSetupFile(path, tenantId);
        const plan = command === 'plan' ? await service.plan(file) : await service.apply(file);
        console.log(`${path}\n${describePlan(plan)}${command === 'apply' ? '\napplied.' : ''}\n`);
      } catch (error) {
        if (!(error instanceof MasterDataRefused) && !(error instanceof ConfigError)) throw error;
        refused = true;
        const problems = error instanceof ConfigError ? error.problems : error.message.split('; ');
        console.error(
          `${path}: ${command} refused, nothing written:\n${problems.map((p) => `  - ${p}`).join('\n')}\n`,
        );
      }
    }
    return refused ? 1 : 0;
  } finally {
    await sequelize.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);

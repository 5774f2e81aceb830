/**
 * `deno task migrate`: applies pending migrations to the configured database and says which.
 *
 * @module
 */
import { boot } from "../boot.ts";
import { migrationFiles } from "./migrate.ts";

const { db, applied, shutdown } = await boot({ migrate: true });
console.log(
  applied.length
    ? `applied ${applied.length} migration(s):\n  ${applied.join("\n  ")}`
    : `database is current (${migrationFiles().length} migrations)`,
);
console.log(`database: ${db.url.replace(/:[^:@/]+@/, ":***@")}`);
await shutdown();

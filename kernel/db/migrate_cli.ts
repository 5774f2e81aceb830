/**
 * `deno task migrate`: applies pending migrations to the configured database and says which.
 *
 * @module
 */
import { boot } from "../boot.ts";
import { migrationFiles } from "./migrate.ts";

// Any argument is a question, not a go-ahead: nothing is opened or applied.
if (Deno.args.length) {
  const help = ["--help", "-h"].includes(Deno.args[0]);
  (help ? console.log : console.error)(
    "usage: deno task migrate\n\nApplies the pending migrations of sql/ to the configured database " +
      "(BSS_DB_URL,\nelse the embedded one under BSS_DATA_DIR) and says which.",
  );
  Deno.exit(help ? 0 : 2);
}
const { db, applied, shutdown } = await boot({ migrate: true });
console.log(
  applied.length
    ? `applied ${applied.length} migration(s):\n  ${applied.join("\n  ")}`
    : `database is current (${migrationFiles().length} migrations)`,
);
console.log(`database: ${db.url.replace(/:[^:@/]+@/, ":***@")}`);
await shutdown();

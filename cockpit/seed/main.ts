/**
 * `deno task seed [--demo]`: applies every domain's reference data (insert-if-absent, as
 * `deno task start` does) and, with `--demo`, a few verified demo customers with cards on file.
 *
 * @module
 */
import { parseArgs } from "node:util";
import { seedReferenceData } from "../../actors/seed.ts";
import { boot } from "../../kernel/boot.ts";
import { processEnv } from "../../kernel/config.ts";
import { withInstance } from "../../kernel/instance.ts";
import { withCaller } from "../../kernel/context.ts";
import { seedDemo } from "./demo.ts";

const USAGE = "usage: deno task seed [--demo]";
let demo = false;
try {
  const { values } = parseArgs({
    options: { demo: { type: "boolean" }, help: { type: "boolean", short: "h" } },
    strict: true,
  });
  if (values.help) {
    console.log(
      `${USAGE}\n\nApplies every domain's reference data to the instance's database (only what is\n` +
        "missing; `deno task start` does the same); --demo adds three verified demo customers\n" +
        "with test cards on file.",
    );
    Deno.exit(0);
  }
  demo = values.demo ?? false;
} catch (e) {
  console.error(`bss: ${(e as Error).message}\n${USAGE}`);
  Deno.exit(2);
}
const { config, db, shutdown } = await boot({ env: withInstance(processEnv()) });
try {
  const domains = await seedReferenceData(db.sql);
  console.log(`reference data: ${domains.join(", ")}`);
  if (demo) {
    const caller = {
      actor: "seed",
      channel: "seed",
      serviceIdentity: "service",
      tenant: "DEFAULT",
    };
    const ids = await withCaller(caller, () => seedDemo(config, db.sql));
    for (const [email, id] of Object.entries(ids)) console.log(`demo customer ${id}  ${email}`);
  }
} finally {
  await shutdown();
}

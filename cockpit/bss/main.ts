/**
 * `deno task bss …`: runs one CLI command against the running services (`deno task start`),
 * configured and authenticated like them (tokens from `.bss/tokens.json` when BSS_API_TOKEN
 * is unset).
 *
 * @module
 */
import { configOrExit } from "../../kernel/boot.ts";
import { runCli } from "./cli.ts";

const result = await runCli(Deno.args, { config: () => configOrExit() });
await Deno.stdout.write(new TextEncoder().encode(result.stdout));
await Deno.stderr.write(new TextEncoder().encode(result.stderr));
Deno.exit(result.code);

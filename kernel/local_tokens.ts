/**
 * Generated tokens for a zero-setup local run: created once under the data dir and reused,
 * so the CLI and portals of the same checkout authenticate without any configuration.
 *
 * @module
 */
import { randomToken } from "./tokens.ts";

/** The surfaces that get a token of their own. */
export const LOCAL_TOKEN_VARS = [
  "BSS_API_TOKEN",
  "BSS_OPERATOR_CLI_API_TOKEN",
  "BSS_SERVICE_API_TOKEN",
  "BSS_PORTAL_SELF_SERVE_API_TOKEN",
  "BSS_OPERATOR_COCKPIT_API_TOKEN",
  "BSS_PORTAL_TOKEN_PEPPER",
] as const;

/**
 * Reads `<dataDir>/tokens.json`, creating it (mode 0600) with fresh tokens when absent and
 * adding any surface's token a file from an older checkout lacks.
 */
export function localTokens(dataDir: string): Record<string, string> {
  const file = `${dataDir}/tokens.json`;
  let tokens: Record<string, string> = {};
  try {
    tokens = JSON.parse(Deno.readTextFileSync(file));
  } catch (e) {
    if (!(e instanceof Deno.errors.NotFound)) throw e;
  }
  const missing = LOCAL_TOKEN_VARS.filter((v) => !tokens[v]);
  if (missing.length === 0) return tokens;
  for (const v of missing) tokens[v] = randomToken();
  Deno.mkdirSync(dataDir, { recursive: true });
  Deno.writeTextFileSync(file, JSON.stringify(tokens, null, 2) + "\n", { mode: 0o600 });
  return tokens;
}

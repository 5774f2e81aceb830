/**
 * The operator's files in the cockpit folder (`BSS_COCKPIT_DIR`, default `<data dir>/cockpit`):
 * `OPERATOR.md` (persona and house rules, put verbatim at the head of the cockpit prompt) and
 * `settings.toml` (`[llm] model`, `[cockpit] autonomy`). Missing files are created from the
 * committed templates. Every read checks the files' modification times and reloads a changed
 * file; a file that no longer parses keeps the last good settings (the first load fails).
 *
 * @module
 */
import { parse as parseToml } from "smol-toml";
import { z } from "zod";
import type { Config } from "../../kernel/config.ts";

/** What settings.toml may say. Unknown keys are errors: every key has an effect. */
const SettingsFile = z.strictObject({
  llm: z.strictObject({ model: z.string().trim().min(1).optional() }).default({}),
  cockpit: z.strictObject({ autonomy: z.enum(["granular", "batched"]).optional() }).default({}),
});

/** The operator's settings in force. */
export interface OperatorSettings {
  operatorMd: string;
  model?: string;
  autonomy?: "granular" | "batched";
}

const TEMPLATES = new URL("./templates/", import.meta.url);

/** The cockpit folder of a configuration. */
export function cockpitDir(config: Pick<Config, "BSS_COCKPIT_DIR" | "BSS_DATA_DIR">): string {
  return config.BSS_COCKPIT_DIR ?? `${config.BSS_DATA_DIR}/cockpit`;
}

/** The operator files of one folder, hot-reloaded. */
export class OperatorFiles {
  readonly operatorPath: string;
  readonly settingsPath: string;
  #mtimes = "";
  #current?: OperatorSettings;
  /** The last reload's problem, if the files on disk are not the settings in force. */
  problem?: string;

  constructor(readonly dir: string) {
    this.operatorPath = `${dir}/OPERATOR.md`;
    this.settingsPath = `${dir}/settings.toml`;
  }

  /** Creates missing files from the templates. */
  bootstrap(): void {
    Deno.mkdirSync(this.dir, { recursive: true });
    for (
      const [path, template] of [
        [this.operatorPath, "OPERATOR.md.template"],
        [this.settingsPath, "settings.toml.template"],
      ]
    ) {
      try {
        Deno.statSync(path);
      } catch {
        Deno.writeTextFileSync(path, Deno.readTextFileSync(new URL(template, TEMPLATES)));
      }
    }
  }

  /** The settings in force, reloaded when a file changed. */
  current(): OperatorSettings {
    const mtimes = [this.operatorPath, this.settingsPath]
      .map((p) => Deno.statSync(p).mtime?.getTime() ?? 0).join(",");
    if (this.#current && mtimes === this.#mtimes) return this.#current;
    try {
      this.#current = this.#load();
      this.problem = undefined;
    } catch (e) {
      if (!this.#current) throw e;
      this.problem = `kept the last good settings: ${e instanceof Error ? e.message : e}`;
    }
    this.#mtimes = mtimes;
    return this.#current;
  }

  #load(): OperatorSettings {
    const operatorMd = Deno.readTextFileSync(this.operatorPath);
    if (!operatorMd.trim()) throw new Error(`${this.operatorPath} is empty`);
    const parsed = SettingsFile.safeParse(parseToml(Deno.readTextFileSync(this.settingsPath)));
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new Error(`${this.settingsPath}: ${issue.path.join(".")} ${issue.message}`);
    }
    return { operatorMd, model: parsed.data.llm.model, autonomy: parsed.data.cockpit.autonomy };
  }
}

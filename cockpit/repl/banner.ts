/**
 * The cockpit's banner, printed at start and whenever the session changes: the logo, who
 * acts with which model, the session and its focus, what to try, the slash commands, and a
 * warning badge when destructive calls run without /confirm.
 *
 * @module
 */
import type { Config } from "../../kernel/config.ts";
import type { Cockpit } from "./cockpit.ts";
import { styled } from "./io.ts";

const LOGO = [
  " ____   ____   ____ ",
  "| __ ) / ___| / ___|",
  "|  _ \\ \\___ \\ \\___ \\",
  "| |_) | ___) | ___) |",
  "|____/ |____/ |____/ ",
];

/** The slash commands, as `/help` and the banner list them. */
export const SLASH_HELP: ReadonlyArray<readonly [string, string]> = [
  ["/help", "this list"],
  ["/exit, /quit", "leave (the session stays open)"],
  ["/sessions", "your open sessions"],
  ["/new [LABEL]", "close this session, open a new one"],
  ["/switch SES-…", "resume another session"],
  ["/reset", "forget this session's messages and pending action"],
  ["/focus [CUST-…|clear]", "pin (or unpin) the customer being worked on"],
  ["/360 [CUST-…]", "the customer 360 card (default: the focus)"],
  ["/ports [list|approve PORT-…|reject PORT-… REASON]", "the number-porting queue"],
  ["/confirm", "run the staged destructive action"],
  ["/autonomy [granular|batched]", "how much one /confirm covers"],
  ["/trace", "the swimlane of the latest agent turn"],
  ["/config [edit]", "settings.toml (model, autonomy)"],
  ["/operator [edit]", "OPERATOR.md (persona and house rules)"],
];

/**
 * The model as the banner names it: a scripted one says so and names its file (the audit
 * actor still carries `name`, as with an endpoint).
 */
export function modelLabel(config: Config, name: string): string {
  if (config.BSS_LLM_FIXTURE_PATH) {
    return `${name}, scripted by ${config.BSS_LLM_FIXTURE_PATH.split("/").at(-1)}`;
  }
  return config.BSS_LLM_BASE_URL ? name : "none (set BSS_LLM_BASE_URL)";
}

/** The banner of the cockpit's current session. */
export function banner(cockpit: Cockpit): string {
  const { io } = cockpit;
  const model = modelLabel(cockpit.deps.config, cockpit.modelName());
  const lines = [
    styled(io, "── bss · cockpit ── type a request or a /command", "green"),
    ...LOGO.map((l) => styled(io, l, "green")),
    `operator cockpit v${cockpit.deps.config.BSS_VERSION}`,
    `actor ${styled(io, "operator", "bold")} · model ${model} · autonomy ${cockpit.autonomy()}`,
    `session ${cockpit.session.id} · focus ${cockpit.session.customerFocus ?? "—"}`,
    `try   "list plans" · "why is SUB-0001 blocked?" · /360 CUST-0001`,
    `slash ${SLASH_HELP.map(([c]) => c.split(/[ ,]/)[0]).join(" ")}`,
  ];
  if (cockpit.deps.allowDestructive) {
    lines.push(
      styled(io, " DESTRUCTIVE-DEFAULT MODE: destructive calls run without /confirm ", "red"),
    );
  }
  return lines.join("\n");
}

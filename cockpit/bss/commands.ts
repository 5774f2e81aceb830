/**
 * The `bss` command tree, generated from the tool registry: every tool is a command whose
 * words are its dotted name with `_` as `-` (`inventory.msisdn.list_available` →
 * `inventory msisdn list-available`), plus the short verbs of docs/cockpit.md §1 as aliases
 * (`customer show`, `catalog list`, `prov tasks` …). Arguments are always the tool's.
 *
 * @module
 */
import { SCENARIO_VERBS, toolNamed, TOOLS } from "../../tools/registry.ts";
import type { Tool } from "../../tools/tool.ts";

/** One command: the words that name it and the tool it runs. */
export interface Command {
  words: readonly string[];
  tool: Tool;
  /** True for the spec's short spellings of a registry command. */
  alias: boolean;
}

/** The words of a tool's own command. */
export function wordsOf(toolName: string): string[] {
  return toolName.split(".").map((w) => w.replaceAll("_", "-"));
}

// The short spellings of docs/cockpit.md §1 → the tool they run.
const ALIASES: Record<string, string> = {
  "customer show": "customer.get",
  "catalog list": "catalog.list_offerings",
  "catalog vas": "catalog.list_vas",
  "catalog show": "catalog.get_offering",
  "order show": "order.get",
  "subscription show": "subscription.get",
  "subscription list": "subscription.list_for_customer",
  "subscription vas": "subscription.purchase_vas",
  "subscription renew": "subscription.renew_now",
  "subscription balance": "subscription.get_balance",
  "case show": "case.get",
  "ticket show": "ticket.get",
  "inventory msisdn list": "inventory.msisdn.list_available",
  "inventory msisdn show": "inventory.msisdn.get",
  "inventory esim list": "inventory.esim.list_available",
  "inventory esim activation": "inventory.esim.get_activation",
  "prov tasks": "provisioning.list_tasks",
  "prov show": "provisioning.get_task",
  "prov resolve": "provisioning.resolve_stuck",
  "prov retry": "provisioning.retry_failed",
  "som service list": "service.list_for_subscription",
  "som service-show": "service.get",
  "som so-show": "service_order.get",
  // The tools' names before they took the reference's (tools/registry.ts TOOL_ALIASES).
  "som service-order get": "service_order.get",
  "som service-order list-for-order": "service_order.list_for_order",
  "som service get": "service.get",
  "som service list-for-subscription": "service.list_for_subscription",
};

/** Every command: the registry's own first, then the aliases. */
export const COMMANDS: readonly Command[] = [
  ...[...TOOLS, ...SCENARIO_VERBS].map((tool) => ({
    words: wordsOf(tool.name),
    tool,
    alias: false,
  })),
  ...Object.entries(ALIASES).map(([words, name]) => {
    const tool = toolNamed(name);
    if (!tool) throw new Error(`alias ${words}: no tool ${name}`);
    return { words: words.split(" "), tool, alias: true };
  }),
];

/** The command named by the longest run of leading `words`, and how many words it took. */
export function resolve(words: readonly string[]): { command: Command; used: number } | null {
  let best: { command: Command; used: number } | null = null;
  for (const command of COMMANDS) {
    const n = command.words.length;
    if (n > words.length || (best && best.used >= n)) continue;
    if (command.words.every((w, i) => w === words[i])) best = { command, used: n };
  }
  return best;
}

/** The commands under a prefix of words (`["inventory"]` → all inventory commands). */
export function commandsUnder(prefix: readonly string[]): Command[] {
  return COMMANDS.filter((c) =>
    c.words.length > prefix.length && prefix.every((w, i) => c.words[i] === w)
  );
}

/** The first words of every command: the groups `bss --help` lists. */
export function groups(): string[] {
  return [...new Set(COMMANDS.map((c) => c.words[0]))];
}

/**
 * The state machines (`docs/STATE_MACHINES.md`), printed from the transition tables the actors
 * enforce, so the page cannot say what the code does not do.
 *
 * @module
 */
import { CASE_MACHINE } from "../../actors/crm/case_machine.ts";
import { TICKET_MACHINE } from "../../actors/crm/ticket_machine.ts";
import { PORT_MACHINE } from "../../actors/crm/port_machine.ts";
import { ORDER_TRANSITIONS } from "../../actors/com/model.ts";
import { SERVICE_ORDER_TRANSITIONS, SERVICE_TRANSITIONS } from "../../actors/som/model.ts";
import { SUBSCRIPTION_MOVES } from "../../actors/subscription/machine.ts";
import { ESIM_TRANSITIONS } from "../../actors/inventory/esim_lifecycle.ts";

type Triggers = Readonly<Record<string, { from: readonly string[]; to: string }>>;
type Successors = Readonly<Record<string, readonly string[]>>;

/** One machine: its title, the actor kind or table it governs, and where it is defined. */
interface MachineDoc {
  title: string;
  owner: string;
  file: string;
  moves: Triggers | Successors;
}

const MACHINES: MachineDoc[] = [
  {
    title: "Product order",
    owner: "actor kind `order`",
    file: "actors/com/model.ts",
    moves: ORDER_TRANSITIONS,
  },
  {
    title: "Service order",
    owner: "actor kind `service_order`",
    file: "actors/som/model.ts",
    moves: SERVICE_ORDER_TRANSITIONS,
  },
  {
    title: "Service (CFS/RFS)",
    owner: "rows of the `service_order` actor kind",
    file: "actors/som/model.ts",
    moves: SERVICE_TRANSITIONS,
  },
  {
    title: "Subscription",
    owner: "actor kind `subscription`",
    file: "actors/subscription/machine.ts",
    moves: SUBSCRIPTION_MOVES,
  },
  {
    title: "Case",
    owner: "CRM `crm.case`",
    file: "actors/crm/case_machine.ts",
    moves: CASE_MACHINE,
  },
  {
    title: "Trouble ticket",
    owner: "CRM `crm.trouble_ticket`",
    file: "actors/crm/ticket_machine.ts",
    moves: TICKET_MACHINE,
  },
  {
    title: "Port request",
    owner: "CRM `crm.port_request`",
    file: "actors/crm/port_machine.ts",
    moves: PORT_MACHINE,
  },
  {
    title: "eSIM profile",
    owner: "inventory `inventory.esim_profile`",
    file: "actors/inventory/esim_lifecycle.ts",
    moves: ESIM_TRANSITIONS,
  },
];

function isTriggers(m: Triggers | Successors): m is Triggers {
  return Object.values(m).every((v) => !Array.isArray(v));
}

/** The rows `from | trigger | to` of one machine. */
function rows(m: Triggers | Successors): string[] {
  if (isTriggers(m)) {
    return Object.entries(m).map(([t, { from, to }]) =>
      `| ${from.map((s) => `\`${s}\``).join(", ")} | \`${t}\` | \`${to}\` |`
    );
  }
  return Object.entries(m).map(([from, to]) =>
    `| \`${from}\` | — | ${to.length ? to.map((s) => `\`${s}\``).join(", ") : "(terminal)"} |`
  );
}

/** `docs/STATE_MACHINES.md`. */
export function machinesMarkdown(): string {
  return [
    // Generated: deno fmt would realign the tables and the file would drift from its source.
    "<!-- deno-fmt-ignore-file -->",
    "",
    "# State machines",
    "",
    "Generated from the transition tables the code enforces by",
    "`deno task contract machines > docs/STATE_MACHINES.md`; a test fails when it drifts. A move",
    "not listed is refused with the machine's rule (see [RULES.md](RULES.md)) and changes nothing.",
    ...MACHINES.flatMap((m) => [
      "",
      `## ${m.title}`,
      "",
      `${m.owner}, \`${m.file}\`.`,
      "",
      "| from | trigger | to |",
      "| ---- | ------- | -- |",
      ...rows(m.moves),
    ]),
    "",
  ].join("\n");
}

/**
 * List cards (docs/cockpit.md §3.10): customers, orders, MSISDNs, port requests and provisioning
 * tasks; the port request detail and the MSISDN pool counts.
 *
 * @module
 */
import { rule, sheet } from "./box.ts";
import { field, formatMsisdn, minute, orDash } from "./format.ts";
import type { RenderOptions } from "./options.ts";
import { table } from "./table.ts";
import { columns, fitRight } from "./text.ts";
import type { Customer, Msisdn, Order, PortRequest, Task } from "./wire.ts";

type Loose = Record<string, unknown>;

/** Customers: id, name, status, first email. */
export function renderCustomerList(customers: Customer[], options: RenderOptions): string {
  return table({
    title: "Customers",
    header: [["ID", 15], ["Name", 24], ["Status", 10], ["Email", 0]],
    rows: customers.map((c) => [
      c.id,
      c.individual ? `${c.individual.givenName} ${c.individual.familyName}` : c.name,
      c.status,
      c.contactMedium.find((m) => m.mediumType === "email")?.value ?? "—",
    ]),
    empty: "(no customers)",
    cap: 25,
  }, options);
}

/** Orders: id, state, customer, placed. */
export function renderOrderList(orders: Order[], options: RenderOptions): string {
  return table({
    title: "Orders",
    header: [["ID", 14], ["State", 14], ["Customer", 16], ["Offering", 10], ["Placed", 0]],
    rows: orders.map((o) => [
      o.id,
      o.state,
      o.customerId,
      o.productOrderItem[0]?.offeringId ?? "—",
      minute(o.orderDate),
    ]),
    empty: "(no orders)",
    cap: 25,
  }, options);
}

/** MSISDNs: number, status, subscription, reserved at. */
export function renderMsisdnList(numbers: Msisdn[], options: RenderOptions): string {
  return table({
    title: "MSISDNs",
    header: [["MSISDN", 14], ["Status", 12], ["Subscription", 14], ["Reserved at", 0]],
    rows: numbers.map((n) => [
      formatMsisdn(n.msisdn),
      n.status,
      orDash(n.assigned_to_subscription_id),
      n.reserved_at ? n.reserved_at.slice(0, 19) : "—",
    ]),
    empty: "(no MSISDNs match)",
    cap: 50,
    footer: ["For pool totals use inventory.msisdn.count."],
  }, options);
}

/** Port requests: id, direction, donor number and carrier, state, requested date. */
export function renderPortList(ports: PortRequest[], options: RenderOptions): string {
  return table({
    title: "Port Requests",
    header: [
      ["ID", 14],
      ["Direction", 9],
      ["Donor MSISDN", 12],
      ["Carrier", 0],
      ["State", 10],
      ["Requested", 10],
    ],
    flex: 3,
    rows: ports.map((p) => [
      p.id,
      p.direction,
      p.donorMsisdn,
      p.donorCarrier,
      p.state,
      p.requestedPortDate,
    ]),
    empty: "(no port requests)",
    cap: 50,
    // A full page (the tool's default limit) may not be all: say how to see more.
    footer: ports.length >= 50
      ? ["(50 rows shown; there may be more — pass `limit` to widen.)"]
      : [],
  }, options);
}

/** One port request as `Label: value` rows. */
export function renderPortRequest(port: PortRequest, options: RenderOptions): string {
  const rows: [string, string][] = [
    ["Direction", port.direction],
    ["Donor MSISDN", port.donorMsisdn],
    ["Donor carrier", port.donorCarrier],
    ["Target sub", orDash(port.targetSubscriptionId)],
    ["Requested date", port.requestedPortDate],
    ["State", port.state],
    ...(port.rejectionReason
      ? [["Rejection reason", port.rejectionReason] as [string, string]]
      : []),
    ["Created", port.createdAt],
    ["Updated", port.updatedAt],
  ];
  return sheet([
    rule(`Port Request ${port.id}`, options.width),
    "",
    ...rows.map(([label, value]) => `  ${label.padEnd(16)}: ${value}`),
  ], options.width);
}

/** MSISDN pool counts as `msisdn.count` returns them. */
export interface PoolCounts {
  available: number;
  reserved: number;
  assigned: number;
  ported_out?: number;
  portedOut?: number;
  total: number;
  prefix?: string | null;
}

/** The MSISDN pool: a count per status and the total. */
export function renderPool(pool: PoolCounts, options: RenderOptions): string {
  const row = (label: string, n: number | undefined) =>
    `  ${columns([[label, 12], [fitRight(String(n ?? 0), 6), 6]], 2)}`;
  return sheet([
    rule(`MSISDN pool — prefix=${pool.prefix ?? "any"}`, options.width),
    "",
    row("available", pool.available),
    row("reserved", pool.reserved),
    row("assigned", pool.assigned),
    row("ported_out", field<number>(pool as unknown as Loose, "portedOut")),
    `  ${"─".repeat(12)}  ${"─".repeat(6)}`,
    row("total", pool.total),
  ], options.width);
}

/** Provisioning tasks: id, service, task type, state, attempts. */
export function renderTasks(tasks: Task[], options: RenderOptions): string {
  return table({
    title: "Provisioning tasks",
    // Narrow fixed columns leave the last error room at 80 columns.
    header: [["ID", 9], ["Service", 9], ["Task type", 20], ["State", 11], ["Tries", 5], [
      "Last error",
      0,
    ]],
    rows: tasks.map((t) => [
      t.id,
      t.serviceId,
      t.taskType,
      t.state,
      `${t.attempts}/${t.maxAttempts}`,
      orDash(t.lastError),
    ]),
    empty: "(no provisioning tasks)",
    cap: 50,
  }, options);
}

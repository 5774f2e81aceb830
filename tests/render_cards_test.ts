/**
 * Every card at 80 and 120 columns: pinned by a snapshot, every line exactly the width in
 * cells, plain unless colour is asked for, and the coloured form the same text underneath.
 */
import assert from "node:assert/strict";
import { renderCase, renderTicket, renderTranscript } from "../cockpit/render/case.ts";
import { renderPlan, renderPlanComparison, renderVasTable } from "../cockpit/render/catalog.ts";
import { renderCustomer360 } from "../cockpit/render/customer.ts";
import { renderEsim } from "../cockpit/render/esim.ts";
import {
  renderCustomerList,
  renderMsisdnList,
  renderOrderList,
  renderPool,
  renderPortList,
  renderPortRequest,
  renderTasks,
} from "../cockpit/render/lists.ts";
import type { RenderOptions } from "../cockpit/render/options.ts";
import { renderOrder } from "../cockpit/render/order.ts";
import { renderBalances, renderSubscription } from "../cockpit/render/subscription.ts";
import { cells, stripAnsi } from "../cockpit/render/text.ts";
import * as f from "./snapshots/render_fixtures.ts";

const CARDS: Record<string, (o: RenderOptions) => string> = {
  customer_360: (o) =>
    renderCustomer360({
      ...f.customer,
      _extras: {
        subscriptions: [f.subscription, f.blockedSubscription],
        cases: [f.openCase, f.closedCase],
        tickets: [f.ticket],
        interactions: f.interactions,
      },
    }, o),
  customer_360_empty: (o) =>
    renderCustomer360({ ...f.customer, kycStatus: "pending", contactMedium: [] }, o),
  subscription: (o) =>
    renderSubscription({
      subscription: f.subscription,
      customerName: "Mei Tan",
      offeringName: "Lite",
      now: f.NOW,
    }, o),
  subscription_blocked: (o) =>
    renderSubscription({ subscription: f.blockedSubscription, now: f.NOW }, o),
  balances: (o) =>
    renderBalances({ subscriptionId: f.subscription.id, balances: f.subscription.balances }, o),
  order: (o) =>
    renderOrder({
      order: f.order,
      serviceOrders: [f.serviceOrder],
      services: f.services,
      tasks: f.tasks,
    }, o),
  order_bare: (o) => renderOrder({ order: { ...f.order, state: "in_progress" } }, o),
  plan_comparison: (o) => renderPlanComparison(f.offerings, o),
  plan_comparison_empty: (o) => renderPlanComparison([], o),
  plan: (o) => renderPlan(f.offerings[2], o),
  vas: (o) => renderVasTable(f.vas, o),
  esim: (o) => renderEsim(f.esim, o),
  esim_full: (o) => renderEsim({ ...f.esim, state: "released" }, { ...o, showFull: true }),
  case: (o) => renderCase({ ...f.openCase, tickets: [f.ticket] }, o),
  case_escalated: (o) => renderCase(f.escalatedCase, o),
  transcript: (o) => renderTranscript(f.transcript, o),
  transcript_none: (o) => renderTranscript({ transcript: null }, o),
  ticket: (o) => renderTicket(f.ticket, o),
  ticket_resolved: (o) => renderTicket(f.resolvedTicket, o),
  customer_list: (o) => renderCustomerList([f.customer], o),
  order_list: (o) => renderOrderList([f.order], o),
  order_list_empty: (o) => renderOrderList([], o),
  msisdn_list: (o) => renderMsisdnList(f.msisdns, o),
  port_list: (o) => renderPortList([f.portRequest], o),
  port_request: (o) => renderPortRequest(f.portRequest, o),
  pool: (o) =>
    renderPool(
      { available: 812, reserved: 3, assigned: 180, ported_out: 5, total: 1000, prefix: "9100" },
      o,
    ),
  tasks: (o) => renderTasks(f.tasks, o),
};

for (const [name, render] of Object.entries(CARDS)) {
  for (const width of [80, 120] as const) {
    Deno.test(`card ${name} at ${width}: snapshot and exact geometry`, async () => {
      const plain = render({ width, color: false });
      assert.ok(!plain.includes("\x1b"), "no ANSI without color");
      plain.split("\n").forEach((line, i) =>
        assert.equal(cells(line), width, `line ${i + 1} is ${cells(line)} cells: ${line}`)
      );
      await f.matchSnapshot(`${name}_${width}`, plain);
      const colored = render({ width, color: true });
      assert.equal(stripAnsi(colored), plain, "colour adds escapes, never changes the text");
    });
  }
}

Deno.test("cards colour states when asked", () => {
  const colored = CARDS.subscription_blocked({ width: 80, color: true });
  assert.ok(colored.includes("\x1b[31m● BLOCKED\x1b[0m"));
});

Deno.test("a failed order says when it failed and why", () => {
  const failed = renderOrder({
    order: { ...f.order, state: "failed" },
    reason: "subscription.create.requires_payment_success (order.failed)",
  }, { width: 80, color: false });
  assert.match(failed, /Failed: {4}\S/);
  assert.match(failed, /Reason: {4}subscription\.create\.requires_payment_success/);
  assert.doesNotMatch(failed, /Completed:/);
});

Deno.test("the port list says a full page may not be all, and nothing below it", () => {
  const o = { width: 80, color: false } as const;
  const full = renderPortList(Array.from({ length: 50 }, () => f.portRequest), o);
  assert.match(full, /50 rows shown; there may be more/);
  assert.doesNotMatch(renderPortList([f.portRequest], o), /rows shown/);
});

Deno.test("a terminated line says when it ended, not when it renews", () => {
  const ended = renderSubscription({
    subscription: {
      ...f.subscription,
      state: "terminated",
      stateReason: "customer_requested",
      terminatedAt: "2026-05-02T10:00:00Z",
    },
    now: f.NOW,
  }, { width: 80, color: false });
  assert.match(ended, /Ended: {5}2026-05-02T10:00:00Z/);
  assert.doesNotMatch(ended, /Renews in/);
});

Deno.test("the 360 card gives an ended line no bundle use", () => {
  const ended = { ...f.subscription, state: "terminated" as const };
  const card = renderCustomer360({
    ...f.customer,
    _extras: { subscriptions: [ended], cases: [], tickets: [], interactions: [] },
  }, { width: 80, color: false });
  assert.match(card, new RegExp(`${ended.id} +\\S+ +terminated`));
  assert.doesNotMatch(card, /bundle/);
});

Deno.test("a plan without roaming shows no roaming row", () => {
  const balances = f.subscription.balances.map((b) =>
    b.allowanceType === "data_roaming" ? { ...b, total: 0, consumed: 0, remaining: 0 } : b
  );
  const card = renderSubscription({ subscription: { ...f.subscription, balances }, now: f.NOW }, {
    width: 80,
    color: false,
  });
  assert.doesNotMatch(card, /Roaming/);
  assert.match(card, /Data /);
});

Deno.test("an unlimited balance reads the same from the service (-1) and a tool (null)", () => {
  const unlimited = (total: number | null) =>
    renderBalances({
      subscriptionId: f.subscription.id,
      balances: f.subscription.balances.map((b) => ({
        ...b,
        total: b.total < 0 ? total : b.total,
      })),
    }, { width: 80, color: false });
  assert.equal(unlimited(null), unlimited(-1));
  assert.match(unlimited(null), /unlimited/);
});

Deno.test("long values are cut with an ellipsis, never overflowing", () => {
  const long = "x".repeat(500);
  const text = renderTicket({ ...f.ticket, subject: long, id: `TKT-${long}` }, {
    width: 80,
    color: false,
  });
  for (const line of text.split("\n")) assert.equal(cells(line), 80);
  assert.match(text, /x…/);
});

Deno.test("plan comparison: cheapest first, ★ on PLAN_M, unpriced last", () => {
  const text = renderPlanComparison(
    [...f.offerings, { ...f.offerings[0], id: "PLAN_FREE", productOfferingPrice: [] }],
    { width: 120, color: false },
  );
  const order = ["PLAN_XS", "PLAN_S ", "PLAN_M ★", "PLAN_L", "PLAN_FREE"].map((p) =>
    text.indexOf(p)
  );
  assert.deepEqual([...order].sort((a, b) => a - b), order);
});

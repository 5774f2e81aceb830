/** Tool results reach the right card; bad, empty, error or unknown results get none. */
import assert from "node:assert/strict";
import { RENDERED_TOOLS, renderToolResult, SHOWN_AS } from "../cockpit/render/dispatch.ts";
import { cells } from "../cockpit/render/text.ts";
import { toolNamed } from "../tools/registry.ts";
import * as f from "./snapshots/render_fixtures.ts";

const O = { width: 80, color: false, now: f.NOW } as const;

const SAMPLES: Record<string, [unknown, RegExp]> = {
  "customer.get": [{ ...f.customer, _extras: { subscriptions: [f.subscription] } }, /Mei Tan/],
  "customer.find_by_msisdn": [f.customer, /── Subscriptions \(0\)/],
  "customer.list": [[f.customer], /── Customers/],
  "subscription.get": [f.subscription, /Renews in: 10 days/],
  "subscription.list_for_customer": [[f.subscription, f.blockedSubscription], /╔═ Subscription/],
  "subscription.get_balance": [f.subscription.balances, /SMS +\[█/],
  "case.get": [f.openCase, /CASE-/],
  "case.show_transcript_for": [f.transcript, /assistant:\s+│\n│ It is the renewal/],
  "ticket.get": [f.ticket, /TKT-/],
  "provisioning.list_tasks": [f.tasks, /HLR_PROVISION/],
  "subscription.get_esim_activation": [f.esim, /eSIM Activation/],
  "inventory.esim.get_activation": [
    { iccid: f.esim.iccid, activation_code: f.esim.activationCode },
    /LPA:1\$smdp/,
  ],
  "order.get": [f.order, /ORD-0350 {2}PLAN_S/],
  "order.list": [[f.order], /── Orders/],
  "catalog.list_offerings": [f.offerings, /Product Offerings/],
  "catalog.list_active_offerings": [f.offerings, /PLAN_M ★/],
  "catalog.get_offering": [f.offerings[2], /MOST POPULAR/],
  "catalog.list_vas": [f.vas, /VAS Offerings/],
  "inventory.msisdn.list_available": [f.msisdns, /── MSISDNs/],
  "inventory.msisdn.count": [
    { available: 1, reserved: 0, assigned: 0, ported_out: 0, total: 1, prefix: null },
    /prefix=any/,
  ],
  "port_request.list": [[f.portRequest], /── Port Requests/],
  "port_request.get": [f.portRequest, /Rejection reason/],
  "case.list": [[f.openCase, f.closedCase], /── Cases.*\n(.*\n)+ {2}CASE-0080 +closed/],
  "ticket.list": [
    [f.ticket],
    /TKT-0031 +service_outage +acknowledged +\S+ +\S+ +\d{4}-\d\d-\d\d \d\d:\d\d/,
  ],
  "payment.list_methods": [
    [{
      id: "PM-0001",
      cardSummary: { brand: "visa", last4: "4242", expMonth: 3, expYear: 2029 },
      isDefault: true,
      status: "active",
      providerToken: "tok_secret",
    }],
    /PM-0001 +visa •••• 4242 +03\/2029 +yes +active/,
  ],
  "payment.list_attempts": [
    [{
      id: "PAY-000002",
      amount: "10.00",
      currency: "SGD",
      purpose: "renewal",
      status: "declined",
      declineCode: "card_declined",
      attemptedAt: "2026-06-08T07:00:00.000Z",
    }],
    /2026-06-08 07:00 +PAY-000002 +renewal +10\.00 SGD +declined +card_/,
  ],
  "events.list": [
    [{
      occurredAt: "2026-06-08T07:00:00.000Z",
      eventType: "order.failed",
      aggregateId: "ORD-0001",
      actor: "system",
      channel: "system",
    }],
    /2026-06-08 07:00 +order\.failed +ORD-0001 +system \(system\)/,
  ],
  "trace.services": [
    [{ service: "com", traces: 3, spans: 41, errors: 0, p50Ms: 12.5, p99Ms: 310.25 }, {
      service: "bus",
      traces: 2,
      spans: 9,
      errors: 1,
      p50Ms: null,
      p99Ms: null,
    }],
    /com +3 +41 +0 +12\.5 +310\.3 *\n.*bus +2 +9 +1 +— +—/s,
  ],
};

Deno.test("every rendered tool has a card for its result, at exact width", () => {
  assert.deepEqual(Object.keys(SAMPLES).sort(), [...RENDERED_TOOLS].sort());
  for (const [tool, [data, expected]] of Object.entries(SAMPLES)) {
    const card = renderToolResult(tool, JSON.stringify(data), O);
    assert.ok(card, tool);
    assert.match(card, expected, tool);
    for (const line of card.split("\n")) assert.equal(cells(line), 80, `${tool}: ${line}`);
  }
});

Deno.test("a create or change that answers a resource with a card prints that card", () => {
  for (const [tool, card] of Object.entries(SHOWN_AS)) {
    assert.ok(toolNamed(tool), `${tool} is a tool`);
    assert.ok(RENDERED_TOOLS.includes(card), `${tool}: ${card} has a card`);
  }
});

Deno.test("no card for unknown tools, bad or empty JSON, error results or wrong shapes", () => {
  assert.equal(renderToolResult("agents.list", JSON.stringify([]), O), null);
  assert.equal(renderToolResult("subscription.get", "{not json", O), null);
  assert.equal(renderToolResult("subscription.get", "", O), null);
  assert.equal(renderToolResult("subscription.get", "null", O), null);
  const policy = { error: "POLICY_VIOLATION", rule: "x", detail: "y" };
  assert.equal(renderToolResult("subscription.get", JSON.stringify(policy), O), null);
  assert.equal(renderToolResult("order.get", JSON.stringify({ id: "ORD-1" }), O), null);
});

Deno.test("an empty subscription list says so", () => {
  assert.equal(
    renderToolResult("subscription.list_for_customer", "[]", O),
    "(no subscriptions)".padEnd(80),
  );
});

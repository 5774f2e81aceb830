/**
 * TMF621 trouble tickets through HTTP: open (SLA due time from the matrix), read, list,
 * edit, the state machine (every trigger from every state) with its history, events and
 * interactions; every ticket rule; 404s and validation.
 */
import assert from "node:assert/strict";
import { PRIORITIES, TICKET_TYPES } from "../actors/crm/vocab.ts";
import { TICKET_STATES, TICKET_TRIGGERS, type TicketState } from "../actors/crm/ticket_machine.ts";
import { ticketTarget } from "../actors/crm/ticket_policies.ts";
import { freshDatabase } from "./support/db.ts";
import { asTenant, CLI_TOKEN } from "./support/http.ts";
import {
  createCustomer,
  eventsOf,
  expectStatus,
  expectViolation,
  serveCrm,
} from "./support/crm.ts";

const db = await freshDatabase("crm_ticket");
const crm = await serveCrm(db.sql);
const client = crm.client();
await db.sql`insert into crm.agent (id, name, role, status)
  values ('AGT-OLD', 'Old Timer', 'csr', 'terminated')`;
const TICKETS = "/tmf-api/troubleTicket/v4/troubleTicket";
const CASES = "/crm-api/v1/case";
const customer = await createCustomer(client);

const post = (path: string, json?: unknown, headers: Record<string, string> = {}) =>
  crm.request(path, { method: "POST", json, headers });
const patch = (id: string, json: unknown) =>
  crm.request(`${TICKETS}/${id}`, { method: "PATCH", json });
const transition = (id: string, json: Record<string, unknown>) =>
  post(`${TICKETS}/${id}/transition`, json);
const minutes = (from: string, to: string) => (Date.parse(to) - Date.parse(from)) / 60_000;

async function openTicket(extra: Record<string, unknown> = {}) {
  return await expectStatus(
    post(TICKETS, { customerId: customer, subject: "No data", ...extra }),
    201,
  );
}

/** A ticket (assigned to AGT-001) driven into `state` by legal moves. */
async function ticketIn(state: TicketState): Promise<string> {
  const t = await openTicket({ assignedToAgentId: "AGT-001" });
  const path: Record<TicketState, string[]> = {
    open: [],
    acknowledged: ["ack"],
    in_progress: ["ack", "start"],
    pending: ["ack", "start", "wait"],
    resolved: ["ack", "start", "resolve"],
    closed: ["ack", "start", "resolve", "close"],
    cancelled: ["cancel"],
  };
  for (const trigger of path[state]) {
    await expectStatus(transition(t.id, { trigger, resolutionNotes: "done" }), 200);
  }
  return t.id;
}

Deno.test("an illegal move says which states it fires from", () => {
  assert.equal(ticketTarget("in_progress", "resolve"), "resolved");
  assert.throws(
    () => ticketTarget("open", "resolve"),
    { message: "resolve is not allowed from open (only from in_progress)" },
  );
  assert.throws(
    () => ticketTarget("closed", "reopen"),
    { message: "reopen is not allowed from closed (only from resolved)" },
  );
});

Deno.test("open: 201, Location, TMF621 shape, SLA due, history, event, interaction", async () => {
  const r = await post(
    TICKETS,
    { customer_id: customer, subject: "No data", description: "since 9am" },
    { "x-bss-api-token": CLI_TOKEN, "x-bss-actor": "AGT-002" },
  );
  const t = await expectStatus(r, 201);
  assert.equal(r.headers.get("location"), `${TICKETS}/${t.id}`);
  assert.match(t.id, /^TKT-\d{4,}$/, "sequential");
  assert.deepEqual(
    [t["@type"], t.href, t.ticketType, t.priority, t.state, t.customerId, t.caseId],
    ["TroubleTicket", `${TICKETS}/${t.id}`, "information", "medium", "open", customer, null],
  );
  assert.equal(minutes(t.openedAt, t.slaDueAt), 2880);
  assert.deepEqual(t.stateHistory, [{
    fromState: null,
    toState: "open",
    changedBy: "AGT-002",
    changedByAgentId: "AGT-002",
    reason: "Ticket created",
    eventTime: t.openedAt,
  }]);
  const events = await eventsOf(db.sql, t.id);
  assert.deepEqual(events.map((e) => [e.event_type, e.aggregate_type, e.payload]), [
    ["ticket.opened", "ticket", { customer_id: customer, case_id: null, subject: "No data" }],
  ]);
  const [i] = await db.sql`select summary from crm.interaction where related_ticket_id = ${t.id}`;
  assert.equal(i.summary, `Ticket ${t.id} opened: No data`);
});

Deno.test("the SLA matrix covers every ticket type and priority", async () => {
  const rows = await db.sql`select id, ticket_type, priority from crm.sla_policy`;
  assert.equal(rows.length, TICKET_TYPES.length * PRIORITIES.length);
  assert.ok(rows.some((r) => r.id === "SLA_SERVICE_OUTAGE_CRITICAL"));
  const t = await openTicket({ ticketType: "service_outage", priority: "critical" });
  assert.equal(minutes(t.openedAt, t.slaDueAt), 30);
  const billing = await openTicket({ ticketType: "billing_issue", priority: "high" });
  assert.equal(minutes(billing.openedAt, billing.slaDueAt), 480);
  // A tenant without its own matrix uses the seeded one.
  const other = await expectStatus(
    post(
      TICKETS,
      { customerId: customer, subject: "x", ticketType: "fraud_report" },
      asTenant("OTHER"),
    ),
    201,
  );
  assert.equal(minutes(other.openedAt, other.slaDueAt), 240);
});

Deno.test("open with related ids and on a case", async () => {
  const c = await expectStatus(post(CASES, { customer_id: customer, subject: "c" }), 201);
  const t = await openTicket({
    caseId: c.id,
    relatedOrderId: "ORD-0001",
    related_subscription_id: "SUB-0001",
    relatedServiceId: "SVC-0001",
  });
  assert.deepEqual(
    [t.caseId, t.relatedOrderId, t.relatedSubscriptionId, t.relatedServiceId],
    [c.id, "ORD-0001", "SUB-0001", "SVC-0001"],
  );
  assert.deepEqual((await expectStatus(crm.request(`${CASES}/${c.id}`), 200)).ticket_ids, [t.id]);
});

Deno.test("open rules: customer, case (exists, is the customer's, not closed), active agent", async () => {
  assert.deepEqual(
    await expectViolation(
      post(TICKETS, { customerId: "CUST-00000000", subject: "x" }),
      "ticket.open.requires_customer",
    ),
    { customer_id: "CUST-00000000" },
  );
  assert.deepEqual(
    await expectViolation(
      post(TICKETS, { customerId: customer, caseId: "CASE-00000000", subject: "x" }),
      "ticket.open.case_not_found",
    ),
    { case_id: "CASE-00000000", customer_id: customer },
  );
  const other = await createCustomer(client);
  const theirs = await expectStatus(post(CASES, { customer_id: other, subject: "c" }), 201);
  await expectViolation(
    post(TICKETS, { customerId: customer, caseId: theirs.id, subject: "x" }),
    "ticket.open.case_not_found",
  );
  const done = await expectStatus(post(CASES, { customer_id: other, subject: "c" }), 201);
  await expectStatus(post(`${CASES}/${done.id}/close`, { resolution_code: "ok" }), 200);
  assert.deepEqual(
    await expectViolation(
      post(TICKETS, { customerId: other, caseId: done.id, subject: "x" }),
      "ticket.open.case_is_closed",
    ),
    { case_id: done.id, state: "closed" },
  );
  assert.deepEqual(
    await expectViolation(
      post(TICKETS, { customerId: customer, subject: "x", assignedToAgentId: "AGT-999" }),
      "ticket.assign.agent_must_be_active",
    ),
    { agent_id: "AGT-999" },
  );
  assert.deepEqual(
    await expectViolation(
      post(TICKETS, { customerId: customer, subject: "x", assignedToAgentId: "AGT-OLD" }),
      "ticket.assign.agent_must_be_active",
    ),
    { agent_id: "AGT-OLD", status: "terminated" },
  );
});

Deno.test("open: bad vocabulary and missing fields are 422 VALIDATION_ERROR", async () => {
  const bad = [
    { ticketType: "information_request" },
    { priority: "normal" },
    { subject: "" },
    { customerId: undefined },
  ];
  for (const over of bad) {
    const body = await expectStatus(
      post(TICKETS, { customerId: customer, subject: "x", ...over }),
      422,
    );
    assert.equal(body.code, "VALIDATION_ERROR", JSON.stringify(over));
  }
});

Deno.test("read and list: 404, filters, newest first", async () => {
  await expectStatus(crm.request(`${TICKETS}/TKT-00000000`), 404);
  const other = await createCustomer(client);
  const a = await expectStatus(post(TICKETS, { customerId: other, subject: "a" }), 201);
  const b = await expectStatus(
    post(TICKETS, { customerId: other, subject: "b", assignedToAgentId: "AGT-004" }),
    201,
  );
  assert.equal((await expectStatus(crm.request(`${TICKETS}/${a.id}`), 200)).subject, "a");
  const ids = async (q: string) =>
    (await expectStatus(crm.request(`${TICKETS}?${q}`), 200)).map((t: { id: string }) => t.id);
  assert.deepEqual(await ids(`customerId=${other}`), [b.id, a.id]);
  assert.deepEqual(await ids(`customerId=${other}&assignedToAgentId=AGT-004`), [b.id]);
  await expectStatus(post(`${TICKETS}/${a.id}/cancel`), 200);
  assert.deepEqual(await ids(`customerId=${other}&state=cancelled`), [a.id]);
  assert.deepEqual(await ids(`customerId=${other}&limit=1`), [b.id]);
  assert.equal(
    (await expectStatus(crm.request(`${TICKETS}?state=gone`), 422)).code,
    "VALIDATION_ERROR",
  );
});

Deno.test("edit: new priority moves the SLA; ticket.updated carries the change", async () => {
  const t = await openTicket({ ticketType: "service_outage", priority: "low" });
  const edited = await expectStatus(
    patch(t.id, { priority: "critical", assigned_to_agent_id: "AGT-003", description: "urgent" }),
    200,
  );
  assert.deepEqual([edited.priority, edited.assignedToAgentId, edited.description], [
    "critical",
    "AGT-003",
    "urgent",
  ]);
  assert.equal(minutes(edited.openedAt, edited.slaDueAt), 30);
  const events = await eventsOf(db.sql, t.id);
  assert.deepEqual([events.at(-1)?.event_type, events.at(-1)?.payload], ["ticket.updated", {
    changed: {
      priority: { from: "low", to: "critical" },
      assigned_to_agent_id: { from: null, to: "AGT-003" },
      description: { from: null, to: "urgent" },
    },
  }]);
  await expectStatus(patch(t.id, { priority: "critical" }), 200);
  assert.equal((await eventsOf(db.sql, t.id)).length, events.length, "no change, no event");
});

Deno.test("edit rules: active assignee; closed and cancelled tickets are final; 404; 422", async () => {
  const t = await openTicket();
  assert.deepEqual(
    await expectViolation(
      patch(t.id, { assignedToAgentId: "AGT-OLD" }),
      "ticket.assign.agent_must_be_active",
    ),
    { agent_id: "AGT-OLD", status: "terminated" },
  );
  for (const state of ["closed", "cancelled"] as const) {
    const id = await ticketIn(state);
    assert.deepEqual(
      await expectViolation(patch(id, { priority: "high" }), "ticket.update.ticket_is_closed"),
      { ticket_id: id, state },
    );
  }
  await expectStatus(patch("TKT-00000000", { priority: "high" }), 404);
  for (const json of [{}, { priority: "urgent" }]) {
    assert.equal((await expectStatus(patch(t.id, json), 422)).code, "VALIDATION_ERROR");
  }
});

Deno.test("every trigger from every state: legal moves succeed, the rest break the rules", async () => {
  const legal: Record<string, [TicketState[], TicketState]> = {
    ack: [["open"], "acknowledged"],
    start: [["acknowledged"], "in_progress"],
    wait: [["in_progress"], "pending"],
    resume: [["pending"], "in_progress"],
    resolve: [["in_progress"], "resolved"],
    reopen: [["resolved"], "in_progress"],
    close: [["resolved"], "closed"],
    cancel: [["open", "acknowledged", "in_progress", "pending"], "cancelled"],
  };
  for (const state of TICKET_STATES) {
    for (const trigger of TICKET_TRIGGERS) {
      const id = await ticketIn(state);
      const r = transition(id, { trigger, resolutionNotes: "done" });
      const [from, to] = legal[trigger];
      if (from.includes(state)) {
        const t = await expectStatus(r, 200);
        assert.equal(t.state, to, `${trigger} from ${state}`);
        assert.deepEqual(
          [
            t.stateHistory.at(-1).fromState,
            t.stateHistory.at(-1).toState,
            t.stateHistory.at(-1).reason,
          ],
          [state, to, `Trigger: ${trigger}`],
        );
        const events = await eventsOf(db.sql, id);
        assert.deepEqual([events.at(-1)?.event_type, events.at(-1)?.payload], [
          `ticket.${trigger}`,
          { from_state: state, to_state: to, trigger },
        ]);
        const summary = `Ticket ${id} ${trigger}: ${state} -> ${to}`;
        const [i] = await db.sql`select count(*)::int as n from crm.interaction
          where related_ticket_id = ${id} and summary = ${summary}`;
        assert.equal(i.n, 1, summary);
        assert.equal(t.closedAt !== null, to === "closed" || to === "cancelled");
      } else if (trigger === "cancel") {
        assert.deepEqual(
          await expectViolation(r, "ticket.cancel.not_if_resolved_or_closed"),
          { current_state: state },
        );
      } else {
        assert.deepEqual(
          await expectViolation(r, "ticket.transition.valid_from_state"),
          { current_state: state, trigger },
        );
      }
    }
  }
});

Deno.test("ack needs an active agent: given, or already assigned", async () => {
  const t = await openTicket();
  assert.deepEqual(
    await expectViolation(transition(t.id, { trigger: "ack" }), "ticket.ack.requires_agent"),
    { ticket_id: t.id },
  );
  await expectViolation(
    transition(t.id, { trigger: "ack", assignedToAgentId: "AGT-OLD" }),
    "ticket.assign.agent_must_be_active",
  );
  const acked = await expectStatus(
    transition(t.id, { trigger: "ack", assigned_to_agent_id: "AGT-002" }),
    200,
  );
  assert.deepEqual([acked.state, acked.assignedToAgentId], ["acknowledged", "AGT-002"]);

  const stale = await openTicket({ assignedToAgentId: "AGT-001" });
  await db.sql`update crm.ticket set assigned_to_agent_id = 'AGT-OLD' where id = ${stale.id}`;
  await expectViolation(
    transition(stale.id, { trigger: "ack" }),
    "ticket.assign.agent_must_be_active",
  );
});

Deno.test("resolve needs notes; reopen clears the resolution time; a reason goes to history", async () => {
  const id = await ticketIn("in_progress");
  await expectViolation(
    transition(id, { trigger: "resolve" }),
    "ticket.resolve.requires_resolution_notes",
  );
  await expectViolation(
    post(`${TICKETS}/${id}/resolve`, { resolutionNotes: "  " }),
    "ticket.resolve.requires_resolution_notes",
  );
  assert.equal(
    (await expectStatus(post(`${TICKETS}/${id}/resolve`, {}), 422)).code,
    "VALIDATION_ERROR",
  );
  const resolved = await expectStatus(
    post(`${TICKETS}/${id}/resolve`, { resolution_notes: "reset APN" }),
    200,
  );
  assert.deepEqual([resolved.state, resolved.resolutionNotes], ["resolved", "reset APN"]);
  assert.ok(resolved.resolvedAt);
  const reopened = await expectStatus(
    transition(id, { trigger: "reopen", reason: "still broken" }),
    200,
  );
  assert.deepEqual([reopened.state, reopened.resolvedAt], ["in_progress", null]);
  assert.equal(reopened.stateHistory.at(-1).reason, "still broken");
});

Deno.test("cancel route; unknown tickets 404; unknown triggers 422", async () => {
  const t = await openTicket();
  const cancelled = await expectStatus(post(`${TICKETS}/${t.id}/cancel`), 200);
  assert.equal(cancelled.state, "cancelled");
  await expectViolation(
    post(`${TICKETS}/${t.id}/cancel`),
    "ticket.cancel.not_if_resolved_or_closed",
  );
  await expectStatus(post(`${TICKETS}/TKT-00000000/cancel`), 404);
  await expectStatus(post(`${TICKETS}/TKT-00000000/resolve`, { resolutionNotes: "x" }), 404);
  await expectStatus(transition("TKT-00000000", { trigger: "ack" }), 404);
  assert.equal(
    (await expectStatus(transition(t.id, { trigger: "escalate" }), 422)).code,
    "VALIDATION_ERROR",
  );
});

Deno.test({
  name: "teardown",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    await crm.stop();
    await db.drop();
  },
});

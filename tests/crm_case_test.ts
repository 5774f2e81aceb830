/**
 * Cases through HTTP: open, read, list, the state machine (every trigger from every state),
 * the ticket and resolution-code guards, close with auto-resolve, cancel taking the tickets
 * with it, field edits, notes; rules, 404s, validation, events and interactions.
 */
import assert from "node:assert/strict";
import { CASE_STATES, CASE_TRIGGERS, type CaseState } from "../actors/crm/case_machine.ts";
import { freshDatabase } from "./support/db.ts";
import {
  createCustomer,
  eventsOf,
  expectStatus,
  expectViolation,
  serveCrm,
} from "./support/crm.ts";

const db = await freshDatabase("crm_case");
const crm = await serveCrm(db.sql);
const client = crm.client();
const CASES = "/crm-api/v1/case";
const TICKETS = "/tmf-api/troubleTicket/v4/troubleTicket";
const customer = await createCustomer(client);

const post = (path: string, json?: unknown) => crm.request(path, { method: "POST", json });
const patch = (id: string, json: unknown) =>
  crm.request(`${CASES}/${id}`, { method: "PATCH", json });

async function openCase(extra: Record<string, unknown> = {}) {
  return await expectStatus(
    post(CASES, { customer_id: customer, subject: "No data", ...extra }),
    201,
  );
}

async function openTicket(caseId: string) {
  return await expectStatus(
    post(TICKETS, { customerId: customer, caseId, subject: "APN", assignedToAgentId: "AGT-001" }),
    201,
  );
}

async function moveTicket(id: string, ...triggers: string[]) {
  for (const trigger of triggers) {
    await expectStatus(
      post(`${TICKETS}/${id}/transition`, { trigger, resolutionNotes: "reset APN" }),
      200,
    );
  }
}

/** A case driven into `state` by legal moves. */
async function caseIn(state: CaseState) {
  const c = await openCase();
  const path: Record<CaseState, string[]> = {
    open: [],
    in_progress: ["take"],
    pending_customer: ["take", "await_customer"],
    resolved: ["resolve"],
    closed: ["resolve", "close"],
  };
  for (const trigger of path[state]) {
    const code = trigger === "close" ? { resolution_code: "fixed" } : {};
    await expectStatus(patch(c.id, { trigger, ...code }), 200);
  }
  return c.id as string;
}

Deno.test("open: 201, Location, defaults, event and interaction", async () => {
  const r = await post(CASES, {
    customer_id: customer,
    subject: "No data",
    description: "since 9am",
  });
  const c = await expectStatus(r, 201);
  assert.equal(r.headers.get("location"), `${CASES}/${c.id}`);
  assert.match(c.id, /^CASE-\d{4,}$/, "sequential");
  assert.deepEqual(
    [c.state, c.priority, c.category, c.notes, c.ticket_ids, c.closed_at],
    ["open", "medium", "information", [], [], null],
  );
  const events = await eventsOf(db.sql, c.id);
  assert.deepEqual(events.map((e) => [e.event_type, e.aggregate_type, e.payload]), [
    ["case.opened", "case", { customer_id: customer, subject: "No data" }],
  ]);
  const [i] = await db.sql`select summary, related_case_id from crm.interaction
    where related_case_id = ${c.id}`;
  assert.deepEqual({ ...i }, { summary: `Case ${c.id} opened: No data`, related_case_id: c.id });
});

Deno.test("open from a chat escalation: category, escalation category, agent, transcript", async () => {
  const hash = "ab".repeat(32);
  const c = await openCase({
    priority: "high",
    category: "account",
    escalation_category: "fraud",
    opened_by_agent_id: "AGT-003",
    chat_transcript_hash: hash.toUpperCase(),
  });
  assert.deepEqual(
    [c.priority, c.category, c.escalation_category, c.opened_by_agent_id, c.chat_transcript_hash],
    ["high", "account", "fraud", "AGT-003", hash],
  );
});

Deno.test("open for a missing or inactive customer: case.open.customer_must_be_active", async () => {
  assert.deepEqual(
    await expectViolation(
      post(CASES, { customer_id: "CUST-00000000", subject: "x" }),
      "case.open.customer_must_be_active",
    ),
    { customer_id: "CUST-00000000" },
  );
  const closed = await createCustomer(client);
  await expectStatus(
    crm.request(`/tmf-api/customerManagement/v4/customer/${closed}`, {
      method: "PATCH",
      json: { status: "closed" },
    }),
    200,
  );
  assert.deepEqual(
    await expectViolation(
      post(CASES, { customer_id: closed, subject: "x" }),
      "case.open.customer_must_be_active",
    ),
    { customer_id: closed, status: "closed" },
  );
});

Deno.test("open: unknown agent 404; bad vocabulary 422", async () => {
  await expectStatus(
    post(CASES, { customer_id: customer, subject: "x", opened_by_agent_id: "AGT-999" }),
    404,
  );
  const bad = [
    { priority: "normal" },
    { category: "general" },
    { subject: "" },
    { escalation_category: "angry" },
    { chat_transcript_hash: "abc" },
  ];
  for (const over of bad) {
    const body = await expectStatus(
      post(CASES, { customer_id: customer, subject: "x", ...over }),
      422,
    );
    assert.equal(body.code, "VALIDATION_ERROR", JSON.stringify(over));
  }
});

Deno.test("read and list: 404, filters, newest first", async () => {
  await expectStatus(crm.request(`${CASES}/CASE-00000000`), 404);
  const other = await createCustomer(client);
  const a = await expectStatus(post(CASES, { customer_id: other, subject: "a" }), 201);
  const b = await expectStatus(post(CASES, { customer_id: other, subject: "b" }), 201);
  assert.equal((await expectStatus(crm.request(`${CASES}/${a.id}`), 200)).subject, "a");
  const mine = await expectStatus(crm.request(`${CASES}?customerId=${other}`), 200);
  assert.deepEqual(mine.map((c: { id: string }) => c.id), [b.id, a.id]);
  await expectStatus(patch(a.id, { trigger: "take" }), 200);
  const taken = await expectStatus(
    crm.request(`${CASES}?customerId=${other}&state=in_progress`),
    200,
  );
  assert.deepEqual(taken.map((c: { id: string }) => c.id), [a.id]);
  await expectStatus(
    post(TICKETS, { customerId: other, caseId: b.id, subject: "t", assignedToAgentId: "AGT-004" }),
    201,
  );
  const dave = await expectStatus(crm.request(`${CASES}?assignedAgentId=AGT-004`), 200);
  assert.deepEqual(dave.map((c: { id: string }) => c.id), [b.id]);
  const one = await expectStatus(crm.request(`${CASES}?customerId=${other}&limit=1&offset=1`), 200);
  assert.deepEqual(one.map((c: { id: string }) => c.id), [a.id]);
  assert.equal(
    (await expectStatus(crm.request(`${CASES}?state=done`), 422)).code,
    "VALIDATION_ERROR",
  );
});

Deno.test("every trigger from every state: legal moves succeed, the rest break the rule", async () => {
  const legal: Record<string, [CaseState[], CaseState]> = {
    take: [["open"], "in_progress"],
    await_customer: [["in_progress"], "pending_customer"],
    resume: [["pending_customer"], "in_progress"],
    resolve: [["open", "in_progress"], "resolved"],
    close: [["resolved"], "closed"],
    cancel: [["open", "in_progress", "pending_customer"], "closed"],
  };
  for (const state of CASE_STATES) {
    for (const trigger of CASE_TRIGGERS) {
      const id = await caseIn(state);
      const [from, to] = legal[trigger];
      const r = patch(id, { trigger, ...trigger === "close" && { resolution_code: "fixed" } });
      if (from.includes(state)) {
        const c = await expectStatus(r, 200);
        assert.equal(c.state, to, `${trigger} from ${state}`);
        const event = (await eventsOf(db.sql, id)).find((e) => e.event_type === `case.${trigger}`);
        assert.deepEqual(event?.payload, { from_state: state, to_state: to, trigger });
        const summary = `Case ${id} ${trigger}: ${state} -> ${to}`;
        const [i] = await db.sql`select count(*)::int as n from crm.interaction
          where related_case_id = ${id} and summary = ${summary}`;
        assert.equal(i.n, 1, summary);
        assert.equal(c.closed_at !== null, to === "closed");
      } else {
        const context = await expectViolation(r, "case.transition.valid_from_state");
        assert.deepEqual(context, { current_state: state, trigger });
        assert.equal((await expectStatus(crm.request(`${CASES}/${id}`), 200)).state, state);
      }
    }
  }
});

Deno.test("resolve needs every ticket resolved, closed or cancelled", async () => {
  const c = await openCase();
  const open = await openTicket(c.id);
  const done = await openTicket(c.id);
  await moveTicket(done.id, "ack", "start", "resolve");
  const context = await expectViolation(
    patch(c.id, { trigger: "resolve" }),
    "case.close.requires_all_tickets_resolved",
  );
  assert.deepEqual(context, { case_id: c.id, open_tickets: [open.id] });
  await expectStatus(post(`${TICKETS}/${open.id}/cancel`), 200);
  assert.equal((await expectStatus(patch(c.id, { trigger: "resolve" }), 200)).state, "resolved");
});

Deno.test("close needs a resolution code, given or stored", async () => {
  const id = await caseIn("resolved");
  await expectViolation(patch(id, { trigger: "close" }), "case.close.requires_resolution_code");
  await expectViolation(post(`${CASES}/${id}/close`, {}), "case.close.requires_resolution_code");
  await expectStatus(patch(id, { resolution_code: "apn_reset" }), 200);
  const closed = await expectStatus(post(`${CASES}/${id}/close`, {}), 200);
  assert.deepEqual([closed.state, closed.resolution_code], ["closed", "apn_reset"]);
});

Deno.test("close from open resolves first; from pending_customer it may not", async () => {
  const c = await openCase();
  const closed = await expectStatus(
    post(`${CASES}/${c.id}/close`, { resolution_code: "done" }),
    200,
  );
  assert.deepEqual([closed.state, closed.resolution_code], ["closed", "done"]);
  assert.ok(closed.closed_at);
  const events = await eventsOf(db.sql, c.id);
  assert.deepEqual(events.map((e) => e.event_type), ["case.opened", "case.resolve", "case.close"]);

  const waiting = await caseIn("pending_customer");
  assert.deepEqual(
    await expectViolation(
      post(`${CASES}/${waiting}/close`, { resolution_code: "x" }),
      "case.transition.valid_from_state",
    ),
    { current_state: "pending_customer", trigger: "close" },
  );
  const busy = await openCase();
  await openTicket(busy.id);
  await expectViolation(
    post(`${CASES}/${busy.id}/close`, { resolution_code: "x" }),
    "case.close.requires_all_tickets_resolved",
  );
  await expectStatus(post(`${CASES}/CASE-00000000/close`, { resolution_code: "x" }), 404);
  assert.equal(
    (await expectStatus(post(`${CASES}/${busy.id}/close`, { resolution_code: "" }), 422)).code,
    "VALIDATION_ERROR",
  );
});

Deno.test("cancel ends the tickets: open ones cancelled, resolved ones closed", async () => {
  const c = await openCase();
  const fresh = await openTicket(c.id);
  const working = await openTicket(c.id);
  await moveTicket(working.id, "ack", "start");
  const resolved = await openTicket(c.id);
  await moveTicket(resolved.id, "ack", "start", "resolve");
  assert.equal((await expectStatus(patch(c.id, { trigger: "cancel" }), 200)).state, "closed");
  const states = await db.sql`select id, state, closed_at is not null as stamped from crm.ticket
    where case_id = ${c.id} order by seq`;
  assert.deepEqual(states.map((t) => [t.id, t.state, t.stamped]), [
    [fresh.id, "cancelled", true],
    [working.id, "cancelled", true],
    [resolved.id, "closed", true],
  ]);
  const [history] = await db.sql`select reason from crm.ticket_state_history
    where ticket_id = ${fresh.id} order by id desc limit 1`;
  assert.equal(history.reason, `Case ${c.id} cancelled`);
  assert.equal((await eventsOf(db.sql, resolved.id)).at(-1)?.event_type, "ticket.close");
  assert.equal((await eventsOf(db.sql, fresh.id)).at(-1)?.event_type, "ticket.cancel");
});

Deno.test("field edits: case.updated only on change; vocabulary and closed-case rules", async () => {
  const c = await openCase();
  const edited = await expectStatus(
    patch(c.id, { priority: "critical", category: "billing" }),
    200,
  );
  assert.deepEqual([edited.priority, edited.category], ["critical", "billing"]);
  const events = await eventsOf(db.sql, c.id);
  assert.deepEqual([events.at(-1)?.event_type, events.at(-1)?.payload], [
    "case.updated",
    {
      changed: {
        priority: { from: "medium", to: "critical" },
        category: { from: "information", to: "billing" },
      },
    },
  ]);
  await expectStatus(patch(c.id, { priority: "critical" }), 200);
  assert.equal((await eventsOf(db.sql, c.id)).length, events.length, "no change, no event");
  assert.deepEqual(
    await expectViolation(patch(c.id, { priority: "normal" }), "case.update.invalid_priority"),
    { priority: "normal" },
  );
  const closed = await caseIn("closed");
  assert.deepEqual(
    await expectViolation(patch(closed, { priority: "low" }), "case.update.case_is_closed"),
    { case_id: closed, state: "closed" },
  );
  await expectViolation(patch(closed, { resolution_code: "other" }), "case.update.case_is_closed");
  await expectViolation(
    patch(c.id, { trigger: "cancel", priority: "low" }),
    "case.update.case_is_closed",
  );
  assert.equal(
    (await expectStatus(crm.request(`${CASES}/${c.id}`), 200)).state,
    "open",
    "rolled back",
  );
  for (const json of [{}, { trigger: "reopen" }, { category: "general" }]) {
    assert.equal((await expectStatus(patch(c.id, json), 422)).code, "VALIDATION_ERROR");
  }
  await expectStatus(patch("CASE-00000000", { trigger: "take" }), 404);
});

Deno.test("notes: 201, listed on the case, event; closed case and unknowns refused", async () => {
  const c = await openCase();
  const note = await expectStatus(
    post(`${CASES}/${c.id}/note`, { body: "called back", author_agent_id: "AGT-002" }),
    201,
  );
  assert.match(note.id, /^NOTE-[0-9a-f]{8}$/);
  assert.deepEqual([note.case_id, note.author_agent_id, note.body], [
    c.id,
    "AGT-002",
    "called back",
  ]);
  const read = await expectStatus(crm.request(`${CASES}/${c.id}`), 200);
  assert.deepEqual(read.notes, [note]);
  const events = await eventsOf(db.sql, c.id);
  assert.deepEqual([events.at(-1)?.event_type, events.at(-1)?.payload], [
    "case.note_added",
    { note_id: note.id },
  ]);
  const closed = await caseIn("closed");
  assert.deepEqual(
    await expectViolation(
      post(`${CASES}/${closed}/note`, { body: "late" }),
      "case.add_note.case_is_closed",
    ),
    { case_id: closed, state: "closed" },
  );
  await expectStatus(post(`${CASES}/CASE-00000000/note`, { body: "x" }), 404);
  await expectStatus(post(`${CASES}/${c.id}/note`, { body: "x", author_agent_id: "AGT-999" }), 404);
  assert.equal(
    (await expectStatus(post(`${CASES}/${c.id}/note`, { body: " " }), 422)).code,
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

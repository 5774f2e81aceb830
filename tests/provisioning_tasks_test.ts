/**
 * The provisioning simulator through HTTP, work times scaled to 0: the intake spawns each task
 * in its own turn (a `create` message still creates one); every task type completes;
 * fault injection (one-shot failure with automatic retry, persistent failure, stuck, slow);
 * the operator's retry and resolve on the same task; every rule, 404 and validation; the
 * state history; the published outcome events and their payloads.
 */
import assert from "node:assert/strict";
import { INTAKE_KIND } from "../actors/provisioning/intake_kind.ts";
import { workDelayMs } from "../actors/provisioning/faults.ts";
import { TASK_KIND } from "../actors/provisioning/run.ts";
import type { EsimVerdict } from "../actors/provisioning/options.ts";
import { ActorSystem } from "../actors/runtime/system.ts";
import { clock } from "../kernel/clock.ts";
import { endpoints, provisioningKinds, seedReferenceData } from "../http/provisioning/index.ts";
import { waitFor } from "./support/bridge.ts";
import { eventsOf, expectStatus, expectViolation } from "./support/crm.ts";
import { freshDatabase } from "./support/db.ts";
import { CLI_TOKEN, serveTest } from "./support/http.ts";

const db = await freshDatabase("provisioning_tasks");
await clock.refresh(db.sql);
await seedReferenceData(db.sql);
// The eSIM provider declines while this is set (the `sim` provider never does).
let esimDecline: string | undefined;
const system = new ActorSystem(db.sql, { pollMs: 20, workers: 1 });
for (
  const kind of provisioningKinds({
    delayScale: 0,
    esimProvider: (): Promise<EsimVerdict> =>
      Promise.resolve(esimDecline ? { approved: false, reason: esimDecline } : { approved: true }),
  })
) system.register(kind);
await system.start();
const server = serveTest({
  sql: db.sql,
  service: "provisioning-sim",
  endpoints: endpoints({ sql: db.sql, system }),
});
const BASE = "/provisioning-api/v1";
const OPERATOR = { "x-bss-api-token": CLI_TOKEN, "x-bss-actor": "ops-ann", "x-bss-channel": "cli" };

let serial = 0;
/** What SOM puts in a created event for one task. */
function request(taskType: string) {
  serial++;
  return {
    serviceId: `SVC-${9000 + serial}`,
    serviceOrderId: `SO-${9000 + serial}`,
    commercialOrderId: `ORD-${9000 + serial}`,
    taskType,
    payload: { msisdn: "90000001", iccid: "8910101000000000001", customerId: "CUST-0000abcd" },
  };
}

/** Requests a task (as the created event's binding does) and returns its id. */
async function requestTask(
  taskType: string,
): Promise<{ id: string; sent: ReturnType<typeof request> }> {
  const sent = request(taskType);
  const { taskId } = await system.ask<{ taskId: string }>(INTAKE_KIND, sent.serviceId, {
    ...sent,
    type: "request",
  });
  return { id: taskId, sent };
}

const getTask = (id: string) => server.request(`${BASE}/task/${id}`);

/** Waits until the task is in `state` and returns it. */
// deno-lint-ignore no-explicit-any
async function settled(id: string, state: string): Promise<any> {
  let task: { state?: string } = {};
  await waitFor(async () => {
    const r = await getTask(id);
    task = r.status === 200 ? await r.json() : (await r.body?.cancel(), {});
    return task.state === state;
  }, `task ${id} ${state} (is ${task.state})`);
  return task;
}

const history = async (id: string) =>
  (await expectStatus(server.request(`${BASE}/task/${id}/history`), 200)).map((
    m: { fromState: string | null; toState: string },
  ) => `${m.fromState ?? "-"}>${m.toState}`);

const patchFault = (id: string, json: unknown) =>
  server.request(`${BASE}/fault-injection/${id}`, { method: "PATCH", json });

/** Runs `fn` with fault `id` enabled at probability 1 (plus `change`), then restores it. */
async function withFault(id: string, change: Record<string, unknown>, fn: () => Promise<void>) {
  const rules = await expectStatus(server.request(`${BASE}/fault-injection`), 200);
  const { enabled, probability, faultType } = rules.find((f: { id: string }) => f.id === id);
  await expectStatus(patchFault(id, { enabled: true, probability: 1, ...change }), 200);
  try {
    await fn();
  } finally {
    await expectStatus(patchFault(id, { enabled, probability, faultType }), 200);
  }
}

const post = (path: string, json?: unknown) =>
  server.request(`${BASE}${path}`, { method: "POST", json, headers: OPERATOR });

/** The message types actor `kind`/`key` has handled, in order. */
const turns = async (kind: string, key: string) =>
  (await db.sql<{ type: string }[]>`
    select type from actor.history where kind = ${kind} and key = ${key} order by id`)
    .map((h) => h.type);

const outcomes = async (id: string) => (await eventsOf(db.sql, id)).map((e) => e.event_type);

Deno.test("every task type completes on its first attempt, with its outcome event", async () => {
  for (
    const type of [
      "HLR_PROVISION",
      "PCRF_POLICY_PUSH",
      "OCS_BALANCE_INIT",
      "ESIM_PROFILE_PREPARE",
      "HLR_DEPROVISION",
      "NUMBER_PORT_SYNC",
    ]
  ) {
    const { id, sent } = await requestTask(type);
    assert.match(id, /^PTK-\d{4,}$/);
    const task = await settled(id, "completed");
    assert.deepEqual({ ...task, startedAt: "-", completedAt: "-" }, {
      "@type": "ProvisioningTask",
      id,
      href: `${BASE}/task/${id}`,
      serviceId: sent.serviceId,
      serviceOrderId: sent.serviceOrderId,
      commercialOrderId: sent.commercialOrderId,
      taskType: type,
      state: "completed",
      attempts: 1,
      maxAttempts: 3,
      payload: sent.payload,
      lastError: null,
      startedAt: "-",
      completedAt: "-",
    });
    assert.ok(task.startedAt <= task.completedAt);
    assert.deepEqual(await history(id), ["->pending", "pending>running", "running>completed"]);
    const events = await eventsOf(db.sql, id);
    assert.deepEqual(events.map((e) => [e.event_type, e.aggregate_type]), [
      ["provisioning.task.completed", "provisioning_task"],
    ]);
    assert.deepEqual(events[0].payload, {
      taskId: id,
      serviceId: sent.serviceId,
      serviceOrderId: sent.serviceOrderId,
      commercialOrderId: sent.commercialOrderId,
      taskType: type,
      attempts: 1,
      maxAttempts: 3,
      completedAt: task.completedAt,
    });
    // Simulator results are system work.
    assert.deepEqual([events[0].actor, events[0].channel], ["system", "system"]);
  }
});

Deno.test("the intake creates the task in its own turn; a create message still does too", async () => {
  const { id, sent } = await requestTask("HLR_PROVISION");
  const task = await settled(id, "completed");
  assert.equal(task.serviceOrderId, sent.serviceOrderId);
  assert.deepEqual(await history(id), ["->pending", "pending>running", "running>completed"]);
  assert.deepEqual(await turns(INTAKE_KIND, sent.serviceId), ["request"]);
  assert.deepEqual(await turns(TASK_KIND, id), []);
  assert.deepEqual(await outcomes(id), ["provisioning.task.completed"]);

  // A create sent by an intake before the upgrade: the task actor creates itself.
  const legacy = request("PCRF_POLICY_PUSH");
  const created = await system.ask<{ id: string; state: string }>(TASK_KIND, "PTK-990001", {
    ...legacy,
    type: "create",
  });
  assert.deepEqual([created.id, created.state], ["PTK-990001", "completed"]);
  assert.deepEqual(await turns(TASK_KIND, "PTK-990001"), ["create"]);
  assert.deepEqual(await outcomes("PTK-990001"), ["provisioning.task.completed"]);
});

Deno.test("fail_first_attempt: attempt 1 fails, the automatic retry completes", async () => {
  await withFault("FI_HLR_PROV_FAIL", {}, async () => {
    const { id } = await requestTask("HLR_PROVISION");
    const task = await settled(id, "completed");
    assert.equal(task.attempts, 2);
    assert.equal(
      task.lastError,
      "Injected fault FI_HLR_PROV_FAIL: fail_first_attempt on attempt 1",
    );
    assert.deepEqual(await history(id), [
      "->pending",
      "pending>running",
      "running>failed",
      "failed>running",
      "running>completed",
    ]);
    // A failure the retry recovers from is not published.
    assert.deepEqual(await outcomes(id), ["provisioning.task.completed"]);
  });
});

Deno.test("fail_always: failed for good after 3 attempts; retry resets attempts and completes", async () => {
  let id = "";
  await withFault("FI_OCS_FAIL", { faultType: "fail_always" }, async () => {
    ({ id } = await requestTask("OCS_BALANCE_INIT"));
    const failed = await settled(id, "failed");
    assert.equal(failed.attempts, 3);
    assert.equal(failed.lastError, "Injected fault FI_OCS_FAIL: fail_always on attempt 3");
    assert.equal(failed.completedAt, null);
    const [event] = await eventsOf(db.sql, id);
    assert.equal(event.event_type, "provisioning.task.failed");
    assert.deepEqual(event.payload, {
      taskId: id,
      serviceId: failed.serviceId,
      serviceOrderId: failed.serviceOrderId,
      commercialOrderId: failed.commercialOrderId,
      taskType: "OCS_BALANCE_INIT",
      attempts: 3,
      maxAttempts: 3,
      lastError: failed.lastError,
      permanent: true,
    });
    // A retry while the fault persists fails again at once, for good.
    const again = await expectStatus(post(`/task/${id}/retry`), 200);
    assert.deepEqual([again.state, again.attempts], ["failed", 3]);
  });
  const retried = await expectStatus(post(`/task/${id}/retry`), 200);
  assert.equal(retried.id, id);
  assert.deepEqual([retried.state, retried.attempts], ["running", 1]);
  const done = await settled(id, "completed");
  assert.equal(done.attempts, 1);
  assert.deepEqual(await outcomes(id), [
    "provisioning.task.failed",
    "provisioning.task.failed",
    "provisioning.task.completed",
  ]);
  const moves = await expectStatus(server.request(`${BASE}/task/${id}/history`), 200);
  const retry = moves.filter((m: { reason: string }) => m.reason === "Retried by operator");
  assert.equal(retry.length, 2);
  assert.deepEqual([retry[1].fromState, retry[1].toState, retry[1].changedBy], [
    "failed",
    "pending",
    "ops-ann",
  ]);
  // The re-run is the operator's doing, down to its completion.
  assert.equal(moves.at(-1).changedBy, "ops-ann");
  // The same task: no new one was created for the service.
  const list = await expectStatus(server.request(`${BASE}/task?serviceId=${done.serviceId}`), 200);
  assert.deepEqual(list.map((t: { id: string }) => t.id), [id]);
  // The task actor's own turns are the operator's retries and the re-run's end: it was spawned.
  assert.deepEqual(await turns(TASK_KIND, id), ["retry", "retry", "finish"]);
});

Deno.test("stuck: parked at once; resolve with a note runs the same task again", async () => {
  let id = "";
  await withFault("FI_HLR_PROV_STUCK", {}, async () => {
    ({ id } = await requestTask("HLR_PROVISION"));
    const stuck = await settled(id, "stuck");
    assert.equal(stuck.attempts, 0);
    assert.ok(stuck.startedAt);
    assert.equal(stuck.lastError, "Injected fault FI_HLR_PROV_STUCK: stuck");
    const [event] = await eventsOf(db.sql, id);
    assert.equal(event.event_type, "provisioning.task.stuck");
    assert.deepEqual(event.payload, {
      taskId: id,
      serviceId: stuck.serviceId,
      serviceOrderId: stuck.serviceOrderId,
      commercialOrderId: stuck.commercialOrderId,
      taskType: "HLR_PROVISION",
      attempts: 0,
      maxAttempts: 3,
      startedAt: stuck.startedAt,
    });
    // Faults still apply to the re-run.
    const again = await expectStatus(post(`/task/${id}/resolve`, { note: "first try" }), 200);
    assert.equal(again.state, "stuck");
  });
  const resolved = await expectStatus(post(`/task/${id}/resolve`, { note: "  HLR reset  " }), 200);
  assert.deepEqual([resolved.id, resolved.state, resolved.attempts], [id, "running", 1]);
  assert.equal(resolved.lastError, "Resolved by operator: HLR reset");
  const done = await settled(id, "completed");
  assert.equal(done.attempts, 1);
  assert.deepEqual(await outcomes(id), [
    "provisioning.task.stuck",
    "provisioning.task.stuck",
    "provisioning.task.completed",
  ]);
  assert.deepEqual(await history(id), [
    "->pending",
    "pending>stuck",
    "stuck>pending",
    "pending>stuck",
    "stuck>pending",
    "pending>running",
    "running>completed",
  ]);
  const moves = await expectStatus(server.request(`${BASE}/task/${id}/history`), 200);
  assert.deepEqual([moves[4].reason, moves[4].changedBy], [
    "Resolved by operator: HLR reset",
    "ops-ann",
  ]);
  assert.deepEqual(await turns(TASK_KIND, id), ["resolve", "resolve", "finish"]);
});

Deno.test("slow still completes, and takes 2–5 times the work time", async () => {
  await withFault("FI_PCRF_SLOW", {}, async () => {
    const { id } = await requestTask("PCRF_POLICY_PUSH");
    const task = await settled(id, "completed");
    assert.equal(task.attempts, 1);
  });
  assert.equal(workDelayMs("PCRF_POLICY_PUSH", null, 1, () => 0.5), 300);
  assert.equal(workDelayMs("PCRF_POLICY_PUSH", "slow", 1, () => 0), 600);
  assert.equal(workDelayMs("PCRF_POLICY_PUSH", "slow", 1, () => 0.999999), 1500);
  assert.equal(workDelayMs("HLR_PROVISION", "slow", 0, () => 0.5), 0);
  assert.equal(workDelayMs("ANYTHING_ELSE", null, 2, () => 0), 1000);
});

Deno.test("a negative or non-finite work-time scale is refused at start", () => {
  for (const delayScale of [-1, NaN, Infinity]) {
    assert.throws(() => provisioningKinds({ delayScale }), RangeError);
  }
});

Deno.test("a probability-0 rule never fires", async () => {
  await withFault("FI_ESIM_FAIL", { probability: 0 }, async () => {
    const { id } = await requestTask("ESIM_PROFILE_PREPARE");
    assert.equal((await settled(id, "completed")).attempts, 1);
  });
});

Deno.test("an eSIM provider decline fails the attempt like any failure", async () => {
  esimDecline = "profile pool empty";
  try {
    const { id } = await requestTask("ESIM_PROFILE_PREPARE");
    const task = await settled(id, "failed");
    assert.deepEqual([task.attempts, task.lastError], [
      3,
      "eSIM provider declined: profile pool empty",
    ]);
    assert.deepEqual(await outcomes(id), ["provisioning.task.failed"]);
  } finally {
    esimDecline = undefined;
  }
});

Deno.test("rules: resolve only from stuck with a note, retry only from failed", async () => {
  const { id } = await requestTask("HLR_PROVISION");
  await settled(id, "completed");
  assert.deepEqual(
    await expectViolation(
      post(`/task/${id}/resolve`, { note: "why not" }),
      "provisioning_task.resolve.requires_stuck_state",
    ),
    { task_id: id, state: "completed" },
  );
  assert.deepEqual(
    await expectViolation(
      post(`/task/${id}/resolve`, { note: " " }),
      "provisioning.resolve_stuck.requires_note",
    ),
    { task_id: id },
  );
  assert.deepEqual(
    await expectViolation(
      post(`/task/${id}/retry`),
      "provisioning_task.retry.requires_failed_state",
    ),
    { task_id: id, state: "completed" },
  );
  // Nothing moved.
  assert.deepEqual(await history(id), ["->pending", "pending>running", "running>completed"]);
});

Deno.test("rule: at most one enabled fault rule per task type", async () => {
  await withFault("FI_HLR_PROV_FAIL", { probability: 0 }, async () => {
    assert.deepEqual(
      await expectViolation(
        patchFault("FI_HLR_PROV_STUCK", { enabled: true }),
        "provisioning.set_fault_injection.one_enabled_per_task_type",
      ),
      {
        fault_id: "FI_HLR_PROV_STUCK",
        task_type: "HLR_PROVISION",
        enabled_fault_id: "FI_HLR_PROV_FAIL",
      },
    );
    // Changing an enabled rule's other fields is fine.
    await expectStatus(patchFault("FI_HLR_PROV_FAIL", { enabled: true, probability: 0 }), 200);
  });
});

Deno.test("fault rules: listed by task type, changed with camelCase or snake_case keys", async () => {
  const list = await expectStatus(server.request(`${BASE}/fault-injection`), 200);
  assert.deepEqual(list.map((f: { id: string }) => f.id), [
    "FI_ESIM_FAIL",
    "FI_HLR_DEPROV_STUCK",
    "FI_HLR_PROV_FAIL",
    "FI_HLR_PROV_STUCK",
    "FI_OCS_FAIL",
    "FI_PCRF_SLOW",
  ]);
  assert.deepEqual(list.find((f: { id: string }) => f.id === "FI_PCRF_SLOW"), {
    "@type": "FaultInjection",
    id: "FI_PCRF_SLOW",
    taskType: "PCRF_POLICY_PUSH",
    faultType: "slow",
    probability: 0.2,
    enabled: false,
  });
  assert.ok(list.every((f: { enabled: boolean }) => !f.enabled));
  const changed = await expectStatus(
    patchFault("FI_HLR_DEPROV_STUCK", { fault_type: "fail_always", probability: 0.456 }),
    200,
  );
  assert.deepEqual([changed.faultType, changed.probability, changed.enabled], [
    "fail_always",
    0.46,
    false,
  ]);
  await expectStatus(
    patchFault("FI_HLR_DEPROV_STUCK", { faultType: "stuck", probability: 0.05 }),
    200,
  );
});

Deno.test("unknown ids are 404 on reads and writes", async () => {
  for (
    const r of [
      getTask("PTK-999999"),
      server.request(`${BASE}/task/PTK-999999/history`),
      post("/task/PTK-999999/resolve", { note: "x" }),
      post("/task/PTK-999999/retry"),
      patchFault("FI_NOPE", { enabled: true }),
    ]
  ) {
    const body = await expectStatus(r, 404);
    assert.equal(body.code, "NOT_FOUND");
  }
});

Deno.test("bad input is 422 VALIDATION_ERROR", async () => {
  for (
    const r of [
      post("/task/PTK-0001/resolve", {}),
      post("/task/PTK-0001/resolve", { note: 5 }),
      patchFault("FI_OCS_FAIL", {}),
      patchFault("FI_OCS_FAIL", { probability: 1.5 }),
      patchFault("FI_OCS_FAIL", { faultType: "explode" }),
      patchFault("FI_OCS_FAIL", { enabled: "yes" }),
      server.request(`${BASE}/task?state=done`),
      server.request(`${BASE}/task?limit=0`),
    ]
  ) {
    const body = await expectStatus(r, 422);
    assert.equal(body.code, "VALIDATION_ERROR");
  }
});

Deno.test("the list is newest first, filtered by service and state", async () => {
  const first = await requestTask("OCS_BALANCE_INIT");
  await settled(first.id, "completed");
  const { taskId: second } = await system.ask<{ taskId: string }>(
    INTAKE_KIND,
    first.sent.serviceId,
    { ...first.sent, taskType: "PCRF_POLICY_PUSH", type: "request" },
  );
  await settled(second, "completed");
  const ids = async (query: string) =>
    (await expectStatus(server.request(`${BASE}/task${query}`), 200)).map((t: { id: string }) =>
      t.id
    );
  assert.deepEqual(await ids(`?serviceId=${first.sent.serviceId}`), [second, first.id]);
  assert.deepEqual(await ids(`?serviceId=${first.sent.serviceId}&state=failed`), []);
  assert.deepEqual(await ids(`?serviceId=${first.sent.serviceId}&limit=1&offset=1`), [first.id]);
  const failed = await ids("?state=failed");
  assert.ok(failed.length > 0 && !failed.includes(first.id));
});

Deno.test({
  name: "teardown",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    await server.stop();
    await system.stop();
    await db.drop();
  },
});

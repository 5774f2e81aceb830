/**
 * The agent turn on the scripted model with crafted tools (no services): tool calls and the
 * reply, exceptions as observations, the destructive gate in both autonomy modes, the
 * 3-strike and stuck bails, the tool-call budget and the result guard.
 */
import assert from "node:assert/strict";
import { craftedTool, refusingTool, scripted, turn } from "./support/agent.ts";

const call = (name: string, args: Record<string, unknown> = {}) => ({
  tool_calls: [{ name, args }],
  content: "",
});

Deno.test("a turn calls the fixture's tools in order and ends on its reply", async () => {
  const ran: string[] = [];
  const tools = [craftedTool("thing.get", "read", undefined, ran)];
  const result = await turn(
    scripted([call("thing.get", { id: "T-1" }), { content: "Thing T-1 is fine." }]),
    tools,
  );
  assert.equal(result.error, undefined);
  assert.deepEqual(ran, ["thing.get"]);
  assert.deepEqual(result.calls.map((c) => [c.name, c.args]), [["thing.get", { id: "T-1" }]]);
  assert.deepEqual(result.calls[0].result, { ok: true, args: { id: "T-1" } });
  assert.equal(result.reply, "Thing T-1 is fine.");
  assert.ok(result.usage.input > 0);
});

Deno.test("a fixture with no matching response answers (done)", async () => {
  const result = await turn(scripted([{ content: "never" }], "something else"), []);
  assert.equal(result.reply, "(done)");
  assert.deepEqual(result.calls, []);
});

Deno.test("a policy violation and bad arguments come back as observations", async () => {
  const result = await turn(
    scripted([
      call("thing.update", { id: "T-1" }),
      call("thing.get", { id: 42 } as never),
      { content: "It was refused." },
    ]),
    [refusingTool("thing.update"), craftedTool("thing.get", "read")],
  );
  assert.equal(result.error, undefined);
  assert.deepEqual(result.calls[0].result, {
    error: "POLICY_VIOLATION",
    rule: "thing.update.not_allowed",
    detail: "no",
  });
  assert.equal(result.calls[1].failed, true);
  assert.equal(result.reply, "It was refused.");
});

Deno.test("gate closed: a destructive call is proposed, not run", async () => {
  const ran: string[] = [];
  const result = await turn(
    scripted([call("thing.terminate", { id: "T-1" }), { content: "Proposed." }]),
    [craftedTool("thing.terminate", "destructive", undefined, ran)],
  );
  assert.deepEqual(ran, []);
  assert.deepEqual(result.proposal, { tool: "thing.terminate", args: { id: "T-1" } });
  assert.equal(
    (result.calls[0].result as { error: string }).error,
    "DESTRUCTIVE_OPERATION_BLOCKED",
  );
  assert.equal(result.calls[0].blocked, true);
});

Deno.test("gate open, granular: the first destructive call runs, the next is proposed", async () => {
  const ran: string[] = [];
  const tools = [craftedTool("thing.terminate", "destructive", undefined, ran)];
  const steps = [
    call("thing.terminate", { id: "T-1" }),
    call("thing.terminate", { id: "T-2" }),
    { content: "Done one, proposed one." },
  ];
  const granular = await turn(scripted(steps), tools, { open: true, autonomy: "granular" });
  assert.deepEqual(ran, ["thing.terminate"]);
  assert.deepEqual(granular.proposal, { tool: "thing.terminate", args: { id: "T-2" } });
  assert.equal(granular.calls[0].destructive, true);

  ran.length = 0;
  const batched = await turn(scripted(steps), tools, { open: true, autonomy: "batched" });
  assert.deepEqual(ran, ["thing.terminate", "thing.terminate"]);
  assert.equal(batched.proposal, undefined);
});

Deno.test("three failures in a row end the turn before the model is asked again", async () => {
  const result = await turn(
    scripted([
      call("thing.update", { id: "1" }),
      call("thing.update", { id: "2" }),
      call("thing.update", { id: "3" }),
      { content: "should not be reached" },
    ]),
    [refusingTool("thing.update")],
  );
  assert.match(result.error ?? "", /^agent_loop_bailout: 3 consecutive tool failures/);
  assert.match(result.error ?? "", /'thing.update'/);
  assert.equal(result.calls.length, 3);
  assert.notEqual(result.reply, "should not be reached");
});

Deno.test("a success resets the failure count", async () => {
  const result = await turn(
    scripted([
      call("thing.update", { id: "1" }),
      call("thing.update", { id: "2" }),
      call("thing.get", { id: "1" }),
      call("thing.update", { id: "3" }),
      { content: "fine" },
    ]),
    [refusingTool("thing.update"), craftedTool("thing.get", "read")],
  );
  assert.equal(result.error, undefined);
  assert.equal(result.reply, "fine");
});

Deno.test("three identical calls with identical results end the turn (stuck)", async () => {
  const same = call("thing.get", { id: "T-1" });
  const result = await turn(
    scripted([same, same, same, { content: "should not be reached" }]),
    [craftedTool("thing.get", "read")],
  );
  assert.match(result.error ?? "", /^agent_loop_bailout: 3 identical calls to 'thing.get'/);
  assert.equal(result.calls.length, 3);
});

Deno.test("the tool-call budget stops a turn", async () => {
  const ran: string[] = [];
  const result = await turn(
    scripted([
      call("thing.get", { id: "1" }),
      call("thing.get", { id: "2" }),
      call("thing.get", { id: "3" }),
      { content: "should not be reached" },
    ]),
    [craftedTool("thing.get", "read", undefined, ran)],
    { budget: 2 },
  );
  assert.deepEqual(ran, ["thing.get", "thing.get"]);
  assert.match(result.error ?? "", /budget of 2 tool calls is spent/);
});

Deno.test("a result guard withholds a result and stops the turn", async () => {
  const result = await turn(
    scripted([call("thing.get", { id: "T-1" }), { content: "should not be reached" }]),
    [craftedTool("thing.get", "read", () => ({ customerId: "CUST-other" }))],
    {},
    { guard: (tool) => `AgentOwnershipViolation: ${tool}` },
  );
  assert.equal(result.error, "AgentOwnershipViolation: thing.get");
  assert.deepEqual(result.calls[0].result, {
    error: "OWNERSHIP_VIOLATION",
    detail: "the result was withheld",
  });
});

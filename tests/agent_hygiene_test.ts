/**
 * What the agent's words go through before anyone sees them: output hygiene, the streaming
 * filter, the citation guard, the transcript's chrome filter and window, and the chat's
 * ownership trip-wire and pricing.
 */
import assert from "node:assert/strict";
import { guardCitations, NO_CITATION } from "../cockpit/agent/citation.ts";
import { cleanReply, hygienicReply, NO_PENDING_NOTICE } from "../cockpit/agent/hygiene.ts";
import { leavesAt, ownershipGuard, type OwnershipTrip } from "../cockpit/agent/ownership_guard.ts";
import { costCents } from "../cockpit/agent/pricing.ts";
import { StreamFilter } from "../cockpit/agent/stream_filter.ts";
import { ELIDED, historyFor, isChrome } from "../cockpit/agent/transcript.ts";

Deno.test("hygiene drops reasoning and channel markup", () => {
  const raw = "<think>the user wants X\nso...</think><|channel|>Line SUB-1 is active.";
  assert.equal(cleanReply(raw).text, "Line SUB-1 is active.");
  assert.equal(cleanReply("Thinking: hmm\nAll good.").text, "All good.");
  assert.equal(cleanReply("assistantfinal\nDone.").text, "Done.");
  assert.equal(cleanReply("<thinking>never closed").text, "");
});

Deno.test("hygiene replaces a narrated proposal when no tool was called", () => {
  const raw = "I'll call subscription.terminate(subscription_id='SUB-1') now.\n" +
    "Please type /confirm to proceed.";
  assert.equal(hygienicReply(raw, 0), NO_PENDING_NOTICE);
  assert.equal(hygienicReply("[⚠] PROPOSE [step 1]: terminate SUB-1", 0), NO_PENDING_NOTICE);
  // With a real call made, the text is kept minus the fake parts.
  const kept = hygienicReply("Staged the termination. Type /confirm to authorise it.", 1);
  assert.equal(kept, "Staged the termination.");
  assert.equal(hygienicReply("Line SUB-1 is active again.", 0), "Line SUB-1 is active again.");
});

Deno.test("the stream filter holds back reasoning and partial tags", () => {
  const f = new StreamFilter();
  const shown = ["<th", "ink>secret", "</think>", "Hel", "lo <", "b>"].map((d) => f.push(d));
  assert.equal(shown.join(""), "Hello <b>");
  assert.equal(f.diverged, false);
  const g = new StreamFilter();
  g.push("Thinking about it");
  g.push("\nAnswer");
  assert.equal(g.diverged, true);
});

Deno.test("the citation guard replaces uncited claims about the docs", () => {
  const claim = "According to the handbook, ports take two days.";
  assert.equal(guardCitations(claim, []), NO_CITATION);
  assert.equal(guardCitations("The runbook says to retry.", ["customer.get"]), NO_CITATION);
  assert.equal(guardCitations("The docs say so.", []), NO_CITATION);
  assert.equal(guardCitations(claim, ["knowledge.search"]), claim);
  assert.equal(guardCitations("Line SUB-1 is active.", []), "Line SUB-1 is active.");
});

Deno.test("the transcript drops chrome and keeps the newest window of whole messages", () => {
  const m = (role: "user" | "assistant" | "tool", content: string, toolCalls: unknown = null) => ({
    role,
    content,
    toolCalls,
  });
  assert.ok(isChrome(m("assistant", "(The model called customer.get and said nothing)")));
  assert.ok(isChrome(m("assistant", NO_CITATION)));
  assert.ok(isChrome(m("assistant", "  ")));
  assert.ok(!isChrome(m("user", "(no reply)")));
  const stored = [
    m("user", "a".repeat(50)),
    m("assistant", "b".repeat(50)),
    m("assistant", "Sorry — something went wrong. Please try again."),
    m("tool", "c".repeat(20), { tool_name: "customer.get" }),
    m("user", "d".repeat(10)),
  ];
  const all = historyFor(stored);
  assert.deepEqual(all.map((x) => x.getType()), ["human", "ai", "system", "human"]);
  assert.equal(all[2].content, `(prior tool result for customer.get):\n${"c".repeat(20)}`);
  const cut = historyFor(stored, 90);
  assert.deepEqual(cut.map((x) => x.getType()), ["system", "ai", "system", "human"]);
  assert.equal(cut[0].content, ELIDED);
  assert.match(ELIDED, /\/reset/);
});

Deno.test("the ownership trip-wire checks every id at the tool's paths", () => {
  assert.deepEqual(leavesAt([{ customerId: "A" }, { customerId: "B" }, {}], "[*].customerId"), [
    "A",
    "B",
  ]);
  const trips: OwnershipTrip[] = [];
  const guard = ownershipGuard("CUST-1", (t) => trips.push(t));
  assert.equal(guard("subscription.get_mine", { customerId: "CUST-1", id: "SUB-1" }), undefined);
  assert.equal(guard("subscription.list_mine", [{ customerId: "CUST-1" }, {}]), undefined);
  assert.equal(guard("catalog.list_vas", [{ customerId: "CUST-2" }]), undefined);
  assert.equal(
    guard("subscription.list_mine", [{ customerId: "CUST-1" }, { customerId: "CUST-2" }]),
    "AgentOwnershipViolation: subscription.list_mine",
  );
  assert.equal(
    guard("customer.get_mine", { id: "CUST-9" }),
    "AgentOwnershipViolation: customer.get_mine",
  );
  assert.match(guard("customer.get", { id: "CUST-1" }) ?? "", /has no ownership paths/);
  assert.deepEqual(trips.map((t) => [t.tool, t.path, t.found]), [
    ["subscription.list_mine", "[*].customerId", "CUST-2"],
    ["customer.get_mine", "id", "CUST-9"],
  ]);
});

Deno.test("chat cost is rounded up to cents by model rate", () => {
  assert.equal(costCents("deepseek/deepseek-v4-pro", { input: 1_000_000, output: 0 }), 100);
  assert.equal(costCents("deepseek/deepseek-v4-pro", { input: 1, output: 1 }), 1);
  assert.equal(costCents("deepseek/deepseek-v4-pro", { input: 0, output: 0 }), 0);
  assert.equal(costCents("unknown/model", { input: 0, output: 1_000_000 }), 800);
});

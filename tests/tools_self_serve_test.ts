/**
 * The customer self-serve wrappers (docs/cockpit.md §4.2, §4.4–4.6): each acts only for the customer
 * bound as the caller's actor, refuses another customer's line the same way for reads and
 * writes (changing nothing), refuses when no customer is bound, and the profile rules hold
 * at registry import and on crafted tool lists.
 */
import assert from "node:assert/strict";
import { z } from "zod";
import { sha256Hex } from "../actors/crm/sha256.ts";
import { type CallerContext, localCaller, withCaller } from "../kernel/context.ts";
import { listSubscriptions } from "../http/subscription/routes.ts";
import { callTool } from "../tools/call.ts";
import { toolContext } from "../tools/context.ts";
import {
  isWrapper,
  OWNERSHIP_PATHS,
  toolNamed,
  TOOLS,
  toolsFor,
  validateProfiles,
} from "../tools/registry.ts";
import { defineTool, type Profile } from "../tools/tool.ts";
import { order, signupCustomer } from "./support/signup.ts";
import { startSystem, type TestSystem, until } from "./support/system.ts";

const NOT_OWNED = "policy.subscription.not_owned_by_actor";

/**
 * Calls tools as `caller` the way an agent does: failures come back as results. The tools' own
 * ownership checks are under test, so a customer's calls go through `service`, which relays
 * any caller (the perimeter's owner check is `http_self_serve_owner_test.ts`'s); an operator's
 * through the CLI's `operator_cli`.
 */
function as(sys: TestSystem, caller: CallerContext) {
  const identity = caller.channel === "portal-self-serve" ? "service" : "operator_cli";
  const ctx = toolContext(sys.config, "test", identity);
  // deno-lint-ignore no-explicit-any
  return (name: string, args: Record<string, unknown> = {}): Promise<any> =>
    withCaller(caller, () => callTool(toolNamed(name)!, args, ctx));
}

/** A customer as the portal binds them. */
const customer = (id: string) => localCaller(id, "portal-self-serve");

/** A signed-up customer with `lines` active subscriptions; returns the id and line ids. */
async function customerWithLines(sys: TestSystem, lines: number) {
  const customerId = await signupCustomer(sys.client);
  for (let i = 0; i < lines; i++) {
    assert.equal((await order(sys.client, customerId)).state, "completed");
  }
  const subs = await until(
    () => sys.client.subscription.call(listSubscriptions, { query: { customerId } }),
    (s) => s.length === lines && s.every((l) => l.state === "active"),
    `${customerId}'s lines to be active`,
  );
  return { customerId, lineIds: subs.map((s) => s.id), msisdns: subs.map((s) => s.msisdn) };
}

/** Minutes before now, as ISO-8601. */
const minutesAgo = (n: number) => new Date(Date.now() - n * 60_000).toISOString();

Deno.test({
  name: "self-serve wrappers act only for the bound customer",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn(t) {
    const sys = await startSystem("tools_self_serve");
    try {
      const ann = await customerWithLines(sys, 2);
      const ben = await customerWithLines(sys, 1);
      const asAnn = as(sys, customer(ann.customerId));
      const asBen = as(sys, customer(ben.customerId));
      const operator = as(sys, localCaller("cli-user", "cli"));
      const [annLine, annSecond] = ann.lineIds;
      const [benLine] = ben.lineIds;
      const { id: vasId } = (await asAnn("catalog.list_vas"))[0];

      await t.step(
        "no customer bound: every wrapper refuses with chat.no_actor_bound",
        async () => {
          const args: Record<string, Record<string, unknown>> = {
            "subscription.get_mine": { subscription_id: annLine },
            "subscription.get_balance_mine": { subscription_id: annLine },
            "subscription.get_lpa_mine": { subscription_id: annLine },
            "vas.purchase_for_me": { subscription_id: annLine, vas_offering_id: vasId },
            "case.open_for_me": { category: "other", subject: "s", description: "d" },
            "subscription.schedule_plan_change_mine": {
              subscription_id: annLine,
              new_offering_id: "PLAN_M",
            },
            "subscription.cancel_pending_plan_change_mine": { subscription_id: annLine },
            "subscription.terminate_mine": { subscription_id: annLine },
            "payment.card_entry_start_mine": {
              return_url: "https://portal.example/back",
              cancel_url: "https://portal.example/left",
            },
            "payment.card_entry_finish_mine": { entry_id: "cs_test_123" },
          };
          // 14 offered to the chat, and the portal's 2 hidden card entry wrappers.
          const wrappers = TOOLS.filter((w) => isWrapper(w.name));
          assert.equal(wrappers.length, 16);
          for (const call of [operator, as(sys, localCaller("system", "system"))]) {
            for (const { name } of wrappers) {
              const refused = await call(name, args[name] ?? {});
              assert.equal(
                refused.rule,
                "chat.no_actor_bound",
                `${name}: ${JSON.stringify(refused)}`,
              );
            }
          }
          assert.equal(
            (await asAnn("subscription.get_mine", { subscription_id: annLine })).state,
            "active",
            "nothing was terminated",
          );
        },
      );

      await t.step("reads return the bound customer's data only", async () => {
        const mine = await asAnn("subscription.list_mine");
        assert.deepEqual(mine.map((s: { id: string }) => s.id).sort(), [...ann.lineIds].sort());
        for (const s of mine) {
          assert.equal(s.customerId, ann.customerId);
          assert.equal(s.currentMonthlyCharge, `${s.priceCurrency} ${s.effectiveAmount}`);
          assert.equal(s.activeDiscount, null);
        }
        const one = await asAnn("subscription.get_mine", { subscription_id: annLine });
        assert.equal(one.id, annLine);
        assert.ok(one.balances.every((b: { type: string }) => b.type), "reference balances");

        const balance = await asAnn("subscription.get_balance_mine", { subscription_id: annLine });
        assert.ok(balance.length > 0, "a row per allowance");
        for (const row of balance) assert.equal(row.subscriptionId, annLine);
        const lpa = await asAnn("subscription.get_lpa_mine", { subscription_id: annLine });
        assert.match(lpa.activationCode, /^LPA:1\$/);
        assert.equal(lpa.msisdn, ann.msisdns[0]);

        const me = await asAnn("customer.get_mine");
        assert.equal(me.id, ann.customerId);
        assert.deepEqual(
          me._extras.subscriptions.map((s: { customerId: string }) => s.customerId),
          [ann.customerId, ann.customerId],
        );
        const cards = await asAnn("payment.method_list_mine");
        assert.equal(cards.length, 1);
        assert.equal(cards[0].customerId, ann.customerId);
        const charges = await asAnn("payment.charge_history_mine");
        assert.equal(charges.length, 2, "the first charge of each line");
        assert.ok(charges.every((c: { customerId: string }) => c.customerId === ann.customerId));
        assert.equal((await asAnn("payment.charge_history_mine", { limit: 1 })).length, 1);
        assert.equal((await asBen("payment.charge_history_mine")).length, 1);
      });

      await t.step("another customer's line: the same refusal for every read", async () => {
        for (const name of ["get_mine", "get_balance_mine", "get_lpa_mine"]) {
          const refused = await asAnn(`subscription.${name}`, { subscription_id: benLine });
          assert.deepEqual(refused, {
            error: "POLICY_VIOLATION",
            rule: NOT_OWNED,
            detail: `subscription ${benLine} is not yours`,
          });
        }
        const usage = await asAnn("usage.history_mine", { subscription_id: benLine });
        assert.equal(usage.rule, NOT_OWNED);
      });

      await t.step("another customer's line: writes are refused and change nothing", async () => {
        const before = await asBen("subscription.get_mine", { subscription_id: benLine });
        const chargesBefore = await asBen("payment.charge_history_mine");
        const writes: Array<[string, Record<string, unknown>]> = [
          ["vas.purchase_for_me", { subscription_id: benLine, vas_offering_id: vasId }],
          [
            "subscription.schedule_plan_change_mine",
            { subscription_id: benLine, new_offering_id: "PLAN_M" },
          ],
          ["subscription.cancel_pending_plan_change_mine", { subscription_id: benLine }],
          ["subscription.terminate_mine", { subscription_id: benLine }],
        ];
        for (const [name, args] of writes) {
          const refused = await asAnn(name, args);
          assert.equal(refused.rule, NOT_OWNED, name);
          assert.equal(refused.detail, `subscription ${benLine} is not yours`);
        }
        assert.deepEqual(
          await asBen("subscription.get_mine", { subscription_id: benLine }),
          before,
        );
        assert.deepEqual(await asBen("payment.charge_history_mine"), chargesBefore);
      });

      await t.step("vas.purchase_for_me and plan changes work on one's own line", async () => {
        const bought = await asAnn("vas.purchase_for_me", {
          subscription_id: annLine,
          vas_offering_id: vasId,
        });
        assert.equal(bought.id, annLine, JSON.stringify(bought));
        assert.equal(bought.customerId, ann.customerId);
        const charges = await asAnn("payment.charge_history_mine");
        assert.equal(charges.length, 3);
        assert.equal(charges[0].purpose, "vas");

        const scheduled = await asAnn("subscription.schedule_plan_change_mine", {
          subscription_id: annLine,
          new_offering_id: "PLAN_M",
        });
        assert.equal(scheduled.pendingOfferingId, "PLAN_M", JSON.stringify(scheduled));
        const cancelled = await asAnn("subscription.cancel_pending_plan_change_mine", {
          subscription_id: annLine,
        });
        assert.equal(cancelled.pendingOfferingId, null);
      });

      await t.step("activeDiscount and currentMonthlyCharge read the line's discount", async () => {
        await sys.db.sql`update subscription.subscription set discount_type = 'percent',
          discount_value = 10, discount_periods_remaining = 2 where id = ${annLine}`;
        const line = await asAnn("subscription.get_mine", { subscription_id: annLine });
        const ccy = line.priceCurrency;
        assert.equal(
          line.activeDiscount,
          `10% off — 2 more renewal(s) at this price, then ${ccy} ${line.priceAmount}/mo`,
        );
        assert.equal(line.currentMonthlyCharge, `${ccy} ${line.effectiveAmount}`);
        assert.notEqual(line.effectiveAmount, line.priceAmount);
        await sys.db.sql`update subscription.subscription set discount_type = 'absolute',
          discount_value = 2, discount_periods_remaining = -1 where id = ${annLine}`;
        const ongoing = await asAnn("subscription.get_mine", { subscription_id: annLine });
        assert.equal(ongoing.activeDiscount, `${ccy} 2.00 off (ongoing)`);
      });

      await t.step(
        "usage.history_mine fans out over the customer's lines, newest first",
        async () => {
          const events: Array<[string, number]> = [
            [ann.msisdns[0], 30],
            [ann.msisdns[1], 20],
            [ben.msisdns[0], 15],
            [ann.msisdns[0], 10],
          ];
          for (const [msisdn, ago] of events) {
            const used = await operator("usage.simulate", {
              msisdn,
              event_type: "data",
              quantity: 1,
              unit: "mb",
              event_time: minutesAgo(ago),
            });
            assert.ok(used.id, JSON.stringify(used));
          }
          const all = await asAnn("usage.history_mine");
          assert.deepEqual(
            all.map((e: { subscriptionId: string }) => e.subscriptionId),
            [annLine, annSecond, annLine],
          );
          const times = all.map((e: { eventTime: string }) => Date.parse(e.eventTime));
          assert.deepEqual(times, [...times].sort((a, b) => b - a));
          const capped = await asAnn("usage.history_mine", { limit: 2 });
          assert.deepEqual(capped, all.slice(0, 2));
          const one = await asAnn("usage.history_mine", { subscription_id: annSecond });
          assert.deepEqual(one.map((e: { id: string }) => e.id), [all[1].id]);
        },
      );

      await t.step("case.open_for_me maps the escalation and links the transcript", async () => {
        const fraud = await asAnn("case.open_for_me", {
          category: "fraud",
          subject: "Charges I did not make",
          description: "Three top-ups overnight",
        });
        assert.deepEqual(
          [fraud.category, fraud.priority, fraud.escalation_category, fraud.description],
          ["account", "high", "fraud", "[fraud] Three top-ups overnight"],
        );
        assert.equal(fraud.customerId, ann.customerId);
        assert.equal(fraud.chat_transcript_hash, null);

        const transcript = "user:\nmy bill is wrong\n\nassistant:\nlet me escalate";
        const chat = as(sys, { ...customer(ann.customerId), transcript });
        const dispute = await chat("case.open_for_me", {
          category: "billing_dispute",
          subject: "Bill",
          description: "Charged twice",
        });
        assert.deepEqual(
          [dispute.category, dispute.priority, dispute.description],
          ["billing", "medium", "[billing_dispute] Charged twice"],
        );
        assert.equal(dispute.chat_transcript_hash, await sha256Hex(transcript));
        const shown = await operator("case.show_transcript_for", { case_id: dispute.id });
        assert.deepEqual([shown.transcript, shown.customerId], [transcript, ann.customerId]);

        await asBen("case.open_for_me", { category: "other", subject: "Hi", description: "?" });
        const cases = await asAnn("case.list_for_me");
        assert.deepEqual(
          cases.map((c: { id: string }) => c.id).sort(),
          [fraud.id, dispute.id].sort(),
        );
        assert.ok(cases.every((c: { customerId: string }) => c.customerId === ann.customerId));
        assert.deepEqual(await asAnn("case.list_for_me", { state: "closed" }), []);
      });

      await t.step("subscription.terminate_mine ends one's own line", async () => {
        const ended = await asAnn("subscription.terminate_mine", { subscription_id: annSecond });
        assert.equal(ended.state, "terminated", JSON.stringify(ended));
        assert.equal(ended.stateReason, "customer_chat");
        assert.equal(ended.customerId, ann.customerId);
        assert.equal(
          (await asBen("subscription.get_mine", { subscription_id: benLine })).state,
          "active",
        );
      });
    } finally {
      await sys.stop();
    }
  },
});

/** A tool for crafted profile lists: `name`, offered to `profiles`, with `args`. */
function crafted(name: string, profiles: readonly Profile[], args: z.ZodObject = z.object({})) {
  return defineTool({
    name,
    description: "a crafted tool for the profile rules",
    class: "read",
    profiles,
    args,
    run: () => Promise.resolve(null),
  });
}

Deno.test("the registry passes the profile rules; customer_self_serve is 17 tools", () => {
  assert.doesNotThrow(() => validateProfiles(TOOLS));
  const selfServe = toolsFor("customer_self_serve").map((t) => t.name);
  assert.equal(selfServe.length, 17);
  assert.deepEqual(selfServe.filter((n) => !isWrapper(n)).sort(), [
    "catalog.get_offering",
    "catalog.list_active_offerings",
    "catalog.list_vas",
  ]);
  // Every customer tool has its ownership paths, the hidden ones (never offered to the chat) too.
  const customerTools = TOOLS.filter((t) => t.profiles.includes("customer_self_serve"));
  assert.deepEqual(Object.keys(OWNERSHIP_PATHS).sort(), customerTools.map((t) => t.name).sort());
  assert.ok(toolsFor("operator_cockpit").every((t) => !isWrapper(t.name)));
});

Deno.test("validateProfiles refuses a wrapper with a customer argument", () => {
  for (const arg of ["customer_id", "customer_email", "msisdn"]) {
    const tool = crafted(
      "subscription.peek_mine",
      ["customer_self_serve"],
      z.object({ [arg]: z.string() }),
    );
    assert.throws(
      () => validateProfiles([tool], { "subscription.peek_mine": [] }),
      new RegExp(`wrapper subscription.peek_mine takes ${arg}`),
    );
  }
});

Deno.test("validateProfiles refuses an operator profile holding a wrapper", () => {
  assert.throws(
    () => validateProfiles([crafted("case.list_for_me", ["operator_cockpit"])], {}),
    /operator_cockpit holds the wrapper case.list_for_me/,
  );
  assert.throws(
    () => validateProfiles([crafted("usage.mine", ["operator_cockpit"])], {}),
    /operator_cockpit holds the wrapper usage.mine/,
  );
});

Deno.test("validateProfiles refuses missing or dangling ownership paths", () => {
  const tool = crafted("catalog.peek", ["customer_self_serve"]);
  assert.throws(() => validateProfiles([tool], {}), /catalog.peek has no ownership paths/);
  assert.throws(
    () => validateProfiles([tool], { "catalog.peek": [], "catalog.gone": [] }),
    /catalog.gone has ownership paths but is no registered customer_self_serve tool/,
  );
});

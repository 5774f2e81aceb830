/**
 * The portal's scenarios through `bss scenario run-all --tag portal` against the whole system
 * on the scripted model: sign-in with step-up (emailed codes from the dev mailbox), post-login
 * self-serve on a minted session with the grants carried by the run's cookie jar, the chat
 * escalating to a case (portal.run_chat_turn), and the audit split of the portal's token
 * (portal.write_demo_contact, portal.link_identity_to_customer). Then the runner's own rules
 * without a system: the cookie jar, and a step that cannot run skipping the rest.
 */
import assert from "node:assert/strict";
import { runCli } from "../cockpit/bss/cli.ts";
import { CookieJar } from "../cockpit/scenario/cookie_jar.ts";
import { StepSkipped } from "../cockpit/scenario/env.ts";
import { runScenario } from "../cockpit/scenario/run.ts";
import { validateScenario } from "../cockpit/scenario/schema.ts";
import { startSystem } from "./support/system.ts";

const ROOT = new URL("..", import.meta.url).pathname;
const FIXTURE = `${ROOT}scenarios/fixtures/agent.json`;

Deno.test({
  name: "the portal scenarios pass through the scenario verbs and the cookie jar",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    const mailbox = await Deno.makeTempFile({ suffix: ".jsonl" });
    const sys = await startSystem("portal_scenarios", {
      BSS_LLM_FIXTURE_PATH: FIXTURE,
      BSS_PORTAL_DEV_MAILBOX_PATH: mailbox,
    });
    try {
      const run = await runCli(
        ["scenario", "run-all", `${ROOT}scenarios`, "--tag", "portal", "--live"],
        { config: sys.config },
      );
      assert.equal(run.code, 0, run.stdout + run.stderr);
      assert.match(run.stdout, /^4\/4 scenarios passed$/m);
      assert.doesNotMatch(run.stdout, /skipped/);
      // The chat turn ran the tools the fixture scripted, through the portal's stream.
      assert.match(run.stdout, /escalated_by=case\.open_for_me/);
      assert.match(run.stdout, /status=done/);
    } finally {
      await sys.stop();
      await Deno.remove(mailbox);
    }
  },
});

Deno.test("the cookie jar keeps cookies per origin, lets a named one win, and drops cleared ones", () => {
  const jar = new CookieJar();
  const portal = new URL("http://127.0.0.1:9001/chat");
  jar.store(portal, [
    "bss_portal_session=abc; Path=/; HttpOnly; Secure; SameSite=Lax; Max-Age=86400",
    "bss_portal_step_up=g1; Path=/; Max-Age=60",
  ]);
  assert.equal(jar.header(portal), "bss_portal_session=abc; bss_portal_step_up=g1");
  assert.equal(jar.header(new URL("http://127.0.0.1:8002/")), undefined);
  assert.equal(
    jar.header(portal, { bss_portal_step_up: "mine" }),
    "bss_portal_session=abc; bss_portal_step_up=mine",
  );
  jar.store(portal, [
    "bss_portal_step_up=; Path=/; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT",
  ]);
  assert.equal(jar.header(portal), "bss_portal_session=abc");
});

Deno.test("a step that cannot run here skips itself and the steps after it", async () => {
  const parsed = validateScenario({
    name: "skips",
    steps: [
      { name: "runs", action: "test.ok" },
      { name: "cannot", action: "test.no_model" },
      { name: "after", action: "test.ok" },
    ],
  });
  assert.ok(parsed.ok, JSON.stringify(parsed));
  const ran: string[] = [];
  const outcome = await runScenario(parsed.scenario, {
    tools: { client: () => assert.fail("no tool is called") },
    httpBaseUrl: "",
    verbs: {
      "test.ok": () => (ran.push("ok"), Promise.resolve({})),
      "test.no_model": () => Promise.reject(new StepSkipped("no LLM configured in the portal")),
    },
  });
  assert.ok(outcome.passed);
  assert.deepEqual(ran, ["ok"]);
  assert.deepEqual(outcome.steps.map((s) => [s.status, s.detail]), [
    ["PASS", ""],
    ["SKIP", "no LLM configured in the portal"],
    ["SKIP", "no LLM configured in the portal"],
  ]);
});

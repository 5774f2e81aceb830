/**
 * The project's own handbook, indexed as `deno task start` indexes it: every runbook the
 * cockpit's operations need exists with a status line, every link between pages lands on an
 * indexed section (so a citation copied from a link resolves), and each operation's question
 * finds its runbook first.
 */
import assert from "node:assert/strict";
import { dirname, join, normalize } from "node:path";
import { getSection } from "../actors/knowledge/reads.ts";
import { reindex } from "../actors/knowledge/reindex.ts";
import { search } from "../actors/knowledge/search.ts";
import { DEFAULT_KNOWLEDGE_ROOT } from "../kernel/config.ts";
import { freshDatabase } from "./support/db.ts";

const ROOT = DEFAULT_KNOWLEDGE_ROOT;
const RUNBOOKS = "docs/handbook/runbooks";

/** Each operation's question and the runbook that answers it. */
const QUESTIONS: Array<[question: string, runbook: string]> = [
  ["how do I port a number in", "mnp-port-flows.md"],
  ["customer wants to move their number to another operator", "mnp-port-flows.md"],
  ["raise the price of a plan for existing customers", "price-migration.md"],
  ["customer says they were charged twice", "payment-idempotency-and-refunds.md"],
  ["refund after a failed activation", "payment-idempotency-and-refunds.md"],
  ["customer cannot sign in to the portal, OTP code", "portal-auth.md"],
  ["step-up before a top-up in the portal", "portal-auth.md"],
  ["chat escalated a fraud case", "chat-escalation.md"],
  ["rotate an API token", "api-token-rotation.md"],
  ["line is blocked, data stopped working", "blocked-line-top-up.md"],
  ["renewal payment declined", "renewal-failures.md"],
  ["order stuck in provisioning", "stuck-provisioning.md"],
  ["verify a customer's identity KYC", "kyc.md"],
  ["customer lost the eSIM QR code", "esim-redownload.md"],
  ["run scenarios without touching customer data", "scenario-sandbox.md"],
  ["advance the clock", "clock-and-reset.md"],
  // Misspelt: corrected against the handbook's own words.
  ["provisoning tsk stuk", "stuck-provisioning.md"],
];

/** Relative markdown links of `text` outside code: `[label](target)` without a scheme. */
function links(text: string): string[] {
  const prose = text.replace(/```[\s\S]*?```/g, "").replace(/`[^`\n]*`/g, "");
  return [...prose.matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1])
    .filter((t) => !/^[a-z]+:/.test(t));
}

Deno.test({
  name: "the handbook: runbooks present, links resolve to indexed sections, questions find them",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn(t) {
    const db = await freshDatabase("knowledge_handbook");
    try {
      const report = await reindex(db.sql, { root: ROOT });
      assert.ok(report.chunks > 100, `only ${report.chunks} sections`);

      await t.step("every runbook exists and opens with its status line", async () => {
        const expected = [...new Set(QUESTIONS.map(([, file]) => file))].sort();
        const present = [...Deno.readDirSync(join(ROOT, RUNBOOKS))].map((e) => e.name).sort();
        assert.deepEqual(present, expected);
        for (const file of present) {
          const text = await Deno.readTextFile(join(ROOT, RUNBOOKS, file));
          assert.match(text, /^# .+\n\n> Status: /, file);
        }
      });

      await t.step("every link between handbook pages lands on an indexed section", async () => {
        const pages = (await db.sql`select path from knowledge.document
                                     where path like 'docs/handbook/%'`).map((r) => r.path);
        let checked = 0;
        for (const page of pages) {
          for (const target of links(await Deno.readTextFile(join(ROOT, page)))) {
            const [file, anchor] = target.split("#");
            const path = file ? normalize(join(dirname(page), file)) : page;
            assert.ok(
              await Deno.stat(join(ROOT, path)).then(() => true, () => false),
              `${page}: ${target}`,
            );
            if (anchor !== undefined) await getSection(db.sql, path, anchor);
            checked++;
          }
        }
        assert.ok(checked >= 20, `only ${checked} links`);
      });

      await t.step("each operation's question finds its runbook first", async () => {
        const misses: string[] = [];
        for (const [question, runbook] of QUESTIONS) {
          const { hits } = await search(db.sql, { query: question, k: 3 });
          const top = hits[0] ? `${hits[0].path}#${hits[0].anchor}` : "(nothing)";
          if (hits[0]?.path !== `${RUNBOOKS}/${runbook}`) misses.push(`${question} → ${top}`);
        }
        assert.deepEqual(misses, []);
      });
    } finally {
      await db.drop();
    }
  },
});

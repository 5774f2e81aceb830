/**
 * The knowledge tools and CLI verbs through the CRM role as `deno task start` runs it: the
 * index brought up to the files at start-up, `knowledge.search` / `knowledge.get` in the
 * result shapes the agent's citation guard reads, failures as results, and
 * `bss admin knowledge reindex|search|list|status`; a failed start-up reindex tried again.
 */
import assert from "node:assert/strict";
import { runCli } from "../cockpit/bss/cli.ts";
import { configureLog } from "../kernel/log.ts";
import { startRoles } from "../http/start.ts";
import { callTool } from "../tools/call.ts";
import { toolContext } from "../tools/context.ts";
import { toolNamed } from "../tools/registry.ts";
import { freshDatabase } from "./support/db.ts";
import { freePortOffset, testConfig } from "./support/http.ts";
import { testCorpus } from "./support/knowledge.ts";
import { until } from "./support/system.ts";

const MNP = "docs/handbook/runbooks/mnp-port-flows.md";

const FILES = {
  "README.md": "# bss\n\nThe project. Port requests are mentioned here in passing.\n",
  "docs/handbook/operating.md":
    "# Running the system\n\n## Daily checks\n\nLook at dead letters.\n",
  [MNP]: "# MNP\n\n## Port-in\n\nApprove the port request after the donor confirms.\n\n" +
    "## Port-out\n\nThe number ends `ported_out`.\n",
};

Deno.test({
  name: "knowledge tools and bss admin knowledge verbs against the CRM role",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn(t) {
    const db = await freshDatabase("knowledge_tools");
    const corpus = await testCorpus(FILES);
    const config = testConfig({
      BSS_PORT_OFFSET: String(freePortOffset()),
      BSS_KNOWLEDGE_ROOT: corpus.root,
      BSS_KNOWLEDGE_REINDEX_ON_START: "true",
    });
    const running = await startRoles(config, db.sql, ["crm"]);
    const ctx = toolContext(config, "test");
    const call = (name: string, args: Record<string, unknown>) =>
      callTool(toolNamed(name)!, args, ctx) as Promise<Record<string, unknown>>;
    const bss = (...argv: string[]) => runCli(argv, { config });
    try {
      await t.step("the CRM role indexes the files at start-up", async () => {
        await until(
          async () => (await db.sql`select count(*)::int as n from knowledge.document`)[0].n,
          (n) => n === 3,
          "the start-up reindex",
        );
      });

      await t.step(
        "knowledge.search answers {hits: [{path, anchor, title, snippet, score, kind}]}",
        async () => {
          const result = await call("knowledge.search", { query: "approve port request" });
          assert.deepEqual(Object.keys(result).sort(), [
            "backend",
            "hits",
            "query",
            "reason",
            "searched",
          ]);
          const hits = result.hits as Array<Record<string, unknown>>;
          assert.deepEqual(Object.keys(hits[0]), [
            "path",
            "anchor",
            "title",
            "snippet",
            "score",
            "kind",
          ]);
          assert.deepEqual(
            { ...hits[0], score: typeof hits[0].score },
            {
              path: MNP,
              anchor: "port-in",
              title: "MNP › Port-in",
              snippet: "‹Approve› the ‹port› ‹request› after the donor confirms",
              score: "number",
              kind: "runbook",
            },
          );
          const kinds = await call("knowledge.search", { query: "port", kinds: ["reference"] });
          assert.deepEqual((kinds.hits as Array<{ path: string }>).map((h) => h.path), [
            "README.md",
          ]);
        },
      );

      await t.step("knowledge.get answers {path, anchor, title, text}", async () => {
        const section = await call("knowledge.get", { path: MNP, anchor: "port-out" });
        assert.deepEqual(section, {
          path: MNP,
          anchor: "port-out",
          title: "MNP › Port-out",
          text: "## Port-out\n\nThe number ends `ported_out`.",
        });
      });

      await t.step("failures come back as results", async () => {
        const missing = await call("knowledge.get", { path: MNP, anchor: "nope" });
        assert.equal(missing.error, "NOT_FOUND");
        assert.match(String(missing.detail), /mnp-port-flows\.md#nope/);
        const blank = await call("knowledge.search", { query: "  " });
        assert.equal(blank.error, "VALIDATION_ERROR");
        const kind = await call("knowledge.search", { query: "x", kinds: ["novel"] });
        assert.equal(kind.error, "VALIDATION_ERROR");
      });

      await t.step("bss admin knowledge reindex", async () => {
        await corpus.write("docs/handbook/runbooks/kyc.md", "# KYC\n\n## Attest\n\nPrebaked.\n");
        const out = await bss("admin", "knowledge", "reindex");
        assert.equal(out.code, 0, out.stderr);
        assert.match(out.stdout, /^files +4$/m);
        assert.match(out.stdout, /^added +1$/m);
        assert.match(out.stdout, /^skipped +3$/m);
        assert.match(out.stdout, /^backend +fts$/m);
        const forced = await bss("admin", "knowledge", "reindex", "--force", "--json");
        assert.equal(JSON.parse(forced.stdout).updated, 4);
      });

      await t.step("bss admin knowledge search", async () => {
        const out = await bss("admin", "knowledge", "search", "aprove the port reqest");
        assert.equal(out.code, 0, out.stderr);
        const lines = out.stdout.split("\n");
        assert.equal(lines[0], "(searched for: approve the port request)");
        assert.match(lines[1], new RegExp(`^\\d\\.\\d{3}  runbook    ${MNP}#port-in$`));
        assert.equal(lines[2], "       ‹Approve› the ‹port› ‹request› after the donor confirms");
        const one = await bss(
          "admin",
          "knowledge",
          "search",
          "port",
          "--k",
          "1",
          "--kind",
          "reference",
        );
        assert.match(one.stdout, /^\d\.\d{3} {2}reference {2}README\.md#bss\n.*‹Port›/);
        assert.equal(one.stdout.trim().split("\n").length, 2);
        const misuse = await bss("admin", "knowledge", "search");
        assert.equal(misuse.code, 2);
      });

      await t.step("bss admin knowledge list and status", async () => {
        const out = await bss("admin", "knowledge", "list", "--kind", "runbook");
        assert.equal(out.code, 0, out.stderr);
        const rows = out.stdout.trim().split("\n").slice(2);
        assert.deepEqual(rows.map((r) => r.split(/ +/).slice(0, 3)), [
          ["docs/handbook/runbooks/kyc.md", "attest", "runbook"],
          [MNP, "port-in", "runbook"],
          [MNP, "port-out", "runbook"],
        ]);
        const status = await bss("admin", "knowledge", "status");
        assert.match(status.stdout, /^documents +4$/m);
        assert.match(status.stdout, /^sections +5$/m);
        assert.match(status.stdout, /^backend +fts$/m);
        assert.match(status.stdout, /^reason +no embeddings endpoint is configured/m);
      });

      await t.step("bss knowledge get PATH ANCHOR", async () => {
        const out = await bss("knowledge", "get", MNP, "port-in", "--json");
        assert.equal(JSON.parse(out.stdout).title, "MNP › Port-in");
      });
    } finally {
      await running.stop();
      await corpus.cleanup();
      await db.drop();
    }
  },
});

Deno.test({
  name: "a start-up reindex that fails is tried again until the files can be read",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    const failures: number[] = [];
    configureLog("info", (line) => {
      const entry = JSON.parse(line);
      if (entry.msg === "knowledge.reindex_failed") failures.push(entry.attempt);
    });
    const db = await freshDatabase("knowledge_retry");
    // `docs` is a file, not a folder: listing the corpus fails until it is fixed.
    const corpus = await testCorpus({ "README.md": "# bss\n\n## Intro\n\nHello.\n", docs: "x" });
    const config = testConfig({
      BSS_PORT_OFFSET: String(freePortOffset()),
      BSS_KNOWLEDGE_ROOT: corpus.root,
      BSS_KNOWLEDGE_REINDEX_ON_START: "true",
    });
    const running = await startRoles(config, db.sql, ["crm"]);
    try {
      await until(() => Promise.resolve(failures.length), (n) => n >= 1, "a failed first attempt");
      await corpus.remove("docs");
      await corpus.write("docs/handbook/runbooks/kyc.md", "# KYC\n\n## Attest\n\nPrebaked.\n");
      const paths = await until(
        async () =>
          (await db.sql`select path from knowledge.document order by path`).map((r) => r.path),
        (p) => p.length === 2,
        "the retried reindex",
      );
      assert.deepEqual(paths, ["README.md", "docs/handbook/runbooks/kyc.md"]);
      assert.equal(failures[0], 1);
    } finally {
      await running.stop();
      configureLog("info", (line) => console.error(line));
      await corpus.cleanup();
      await db.drop();
    }
  },
});

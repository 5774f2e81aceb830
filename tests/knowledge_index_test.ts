/**
 * The knowledge index on the machine's Postgres: reindex skips unchanged files, updates
 * changed ones and deletes removed ones; a runbook outranks a passing mention; snippets mark
 * the matched words; a misspelling is corrected by trigram similarity; identifiers are found
 * by their parts; sections are read and listed; a configured embeddings endpoint without
 * pgvector falls back to full text and says why.
 */
import assert from "node:assert/strict";
import { utimesSync } from "node:fs";
import { join } from "node:path";
import { openAiEmbedder } from "../actors/knowledge/embedder.ts";
import { getSection, indexStatus, listSections } from "../actors/knowledge/reads.ts";
import { reindex } from "../actors/knowledge/reindex.ts";
import { search } from "../actors/knowledge/search.ts";
import { NO_PGVECTOR } from "../actors/knowledge/vectors.ts";
import { NotFound } from "../kernel/errors.ts";
import { freshDatabase } from "./support/db.ts";
import { embeddingsStandIn, testCorpus } from "./support/knowledge.ts";

const MNP = `# MNP port-in and port-out

> Status: test corpus.

## Port-in

A port-in brings a number from a donor operator. Check the port request, then approve it:
\`bss port-request approve PORT-0001\`. A rejected request names its reason.

## Port-out

A port-out hands the number to the recipient operator; the number ends \`ported_out\`.
`;

const OPERATING = `# Running the system

## Daily checks

Once a day look at open cases, stuck provisioning tasks, dead letters and port requests.

## Orders

An order without a card on file is refused with \`order.create.requires_cof\`.
`;

const README = `# bss

Some words about the project. Port-in effects on inventory are listed as not built.
`;

const BLOCKED = `# Blocked line and top-up

## Symptoms

The subscription is \`blocked\` once an allowance is exhausted.

## Fix

Sell a top-up: \`bss subscription vas SUB-0001 VAS_DATA_1GB\`.
`;

const FILES = {
  "README.md": README,
  "docs/handbook/operating.md": OPERATING,
  "docs/handbook/runbooks/mnp-port-flows.md": MNP,
  "docs/handbook/runbooks/blocked-line.md": BLOCKED,
  // Outside the allowlist: never indexed.
  "docs/other/notes.md": "# Port-in notes\n\nport-in port-in port-in\n",
};

Deno.test({
  name: "knowledge index: reindex, ranking, snippets, spelling, reads, fallback",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn(t) {
    const db = await freshDatabase("knowledge_index");
    const corpus = await testCorpus(FILES);
    const options = { root: corpus.root };
    const { sql } = db;
    try {
      await t.step("a first reindex adds every allowlisted file", async () => {
        const report = await reindex(sql, options);
        assert.deepEqual(
          { ...report, ms: 0 },
          {
            files: 4,
            added: 4,
            updated: 0,
            deleted: 0,
            skipped: 0,
            chunks: 7,
            embedded: 0,
            backend: "fts",
            reason: "no embeddings endpoint is configured (BSS_EMBEDDINGS_BASE_URL)",
            ms: 0,
          },
        );
        const paths = await sql`select path from knowledge.document order by path`;
        assert.ok(!paths.some((r) => r.path.startsWith("docs/other")));
      });

      await t.step("unchanged files are skipped; a touched but equal file too", async () => {
        const before = await sql`select path, indexed_at from knowledge.document order by path`;
        const again = await reindex(sql, options);
        assert.deepEqual([again.added, again.updated, again.deleted, again.skipped], [0, 0, 0, 4]);
        const future = new Date(Date.now() + 60_000);
        utimesSync(join(corpus.root, "README.md"), future, future);
        const touched = await reindex(sql, options);
        assert.deepEqual([touched.added, touched.updated, touched.skipped], [0, 0, 4]);
        const [row] = await sql`select mtime_ms from knowledge.document where path = 'README.md'`;
        assert.equal(row.mtime_ms, future.getTime(), "the new mtime is kept: next time unread");
        const after = await sql`select path, indexed_at from knowledge.document order by path`;
        assert.deepEqual(after, before);
      });

      await t.step("a changed file is re-cut: new sections in, vanished ones out", async () => {
        const hashes = async () =>
          Object.fromEntries(
            (await sql`select anchor, content_hash from knowledge.chunk
                        where path = 'docs/handbook/runbooks/blocked-line.md'`)
              .map((r) => [r.anchor, r.content_hash]),
          );
        const before = await hashes();
        await corpus.write(
          "docs/handbook/runbooks/blocked-line.md",
          BLOCKED.replace("## Fix", "## Cause\n\nUsage used the allowance up.\n\n## Remedy"),
        );
        const report = await reindex(sql, options);
        assert.deepEqual([report.added, report.updated, report.skipped], [0, 1, 3]);
        const after = await hashes();
        assert.deepEqual(Object.keys(after).sort(), ["cause", "remedy", "symptoms"]);
        assert.equal(after.symptoms, before.symptoms, "an unchanged section keeps its hash");
      });

      await t.step("a removed file is deleted with its sections", async () => {
        await corpus.remove("docs/handbook/runbooks/blocked-line.md");
        const report = await reindex(sql, options);
        assert.deepEqual([report.deleted, report.files], [1, 3]);
        const left = await sql`select count(*)::int as n from knowledge.chunk
                                where path like '%blocked-line%'`;
        assert.equal(left[0].n, 0);
        await corpus.write("docs/handbook/runbooks/blocked-line.md", BLOCKED);
        assert.equal((await reindex(sql, options)).added, 1);
      });

      await t.step("an aborted reindex writes nothing (a stopping process)", async () => {
        await corpus.write("docs/handbook/late.md", "# Late\n\n## Page\n\nText.\n");
        await assert.rejects(
          reindex(sql, options, { signal: AbortSignal.abort() }),
          (e: Error) => e.name === "AbortError",
        );
        const late = await sql`select 1 from knowledge.document where path like '%late.md'`;
        assert.equal(late.length, 0);
        await corpus.remove("docs/handbook/late.md");
      });

      await t.step("--force re-reads and re-cuts every file", async () => {
        const report = await reindex(sql, options, { force: true });
        assert.deepEqual([report.updated, report.skipped], [4, 0]);
      });

      await t.step("a runbook section outranks passing mentions elsewhere", async () => {
        const { hits } = await search(sql, { query: "port-in", k: 5 });
        assert.equal(
          `${hits[0].path}#${hits[0].anchor}`,
          "docs/handbook/runbooks/mnp-port-flows.md#port-in",
        );
        assert.equal(hits[0].kind, "runbook");
        const readme = hits.findIndex((h) => h.path === "README.md");
        assert.ok(readme > 0, "the README's passing mention is found, lower");
        assert.ok(hits[0].score > hits[readme].score);
        const onlyReference = await search(sql, { query: "port-in", k: 5, kinds: ["reference"] });
        assert.deepEqual(onlyReference.hits.map((h) => h.path), ["README.md"]);
      });

      await t.step("snippets mark the matched words", async () => {
        const { hits } = await search(sql, { query: "approve the port request", k: 1 });
        assert.equal(hits[0].anchor, "port-in");
        assert.match(hits[0].snippet, /‹approve›/);
        assert.match(hits[0].snippet, /‹port› ‹request›/);
        assert.ok(!hits[0].snippet.includes("`"), "snippets are plain text");
        assert.deepEqual(Object.keys(hits[0]), [
          "path",
          "anchor",
          "title",
          "snippet",
          "score",
          "kind",
        ]);
        assert.equal(hits[0].title, "MNP port-in and port-out › Port-in");
      });

      await t.step("a misspelt word is corrected by trigram similarity", async () => {
        const found = await search(sql, { query: "aprove the donr", k: 3 });
        assert.equal(found.searched, "approve the donor");
        assert.equal(found.hits[0].anchor, "port-in");
        assert.match(found.hits[0].snippet, /‹donor›/);
        // Known words are left alone; nothing near means nothing found.
        assert.equal((await search(sql, { query: "port-out", k: 1 })).searched, "port-out");
        const none = await search(sql, { query: "xylophone", k: 3 });
        assert.deepEqual([none.searched, none.hits], ["xylophone", []]);
      });

      await t.step("rule codes and ids are found by their parts", async () => {
        for (const query of ["requires_cof", "order.create.requires_cof", "requires cof"]) {
          const { hits } = await search(sql, { query, k: 1 });
          assert.equal(hits[0]?.anchor, "orders", query);
        }
        const { hits } = await search(sql, { query: "VAS_DATA_1GB", k: 1 });
        assert.equal(hits[0].anchor, "fix");
      });

      await t.step("a blank query finds nothing", async () => {
        assert.deepEqual((await search(sql, { query: "  ", k: 3 })).hits, []);
      });

      await t.step("a section is read in full; an unknown one is not found", async () => {
        const section = await getSection(
          sql,
          "docs/handbook/runbooks/mnp-port-flows.md",
          "port-out",
        );
        // Led by the page's status line: a reader knows what the page vouches for.
        assert.match(section.text, /^> Status: test corpus\.\n\n## Port-out\n\nA port-out hands/);
        assert.equal(section.kind, "runbook");
        const readme = await getSection(sql, "README.md", "bss");
        assert.match(readme.text, /^# bss\n/, "a page without a status line");
        await assert.rejects(
          getSection(sql, "docs/handbook/runbooks/mnp-port-flows.md", "nope"),
          NotFound,
        );
      });

      await t.step("sections are listed in file order, by kind", async () => {
        const runbooks = await listSections(sql, { limit: 50, kind: "runbook" });
        assert.deepEqual(runbooks.map((s) => s.anchor), [
          "symptoms",
          "fix",
          "port-in",
          "port-out",
        ]);
        assert.ok(runbooks.every((s) => /^[0-9a-f]{8}$/.test(s.hash)));
        const status = await indexStatus(sql);
        assert.deepEqual([status.documents, status.sections, status.embedded], [4, 7, 0]);
      });

      await t.step("an endpoint without pgvector: full text, and the reason said", async () => {
        const standIn = embeddingsStandIn();
        try {
          const embedder = openAiEmbedder({ baseUrl: standIn.url, model: "stand-in" });
          const report = await reindex(sql, { ...options, embedder });
          assert.deepEqual([report.backend, report.reason, report.embedded], [
            "fts",
            NO_PGVECTOR,
            0,
          ]);
          const found = await search(sql, { query: "port-in", k: 1 }, embedder);
          assert.deepEqual([found.backend, found.reason], ["fts", NO_PGVECTOR]);
          assert.equal(found.hits[0].anchor, "port-in");
          assert.equal(standIn.requests.length, 0, "nothing is embedded without pgvector");
        } finally {
          await standIn.stop();
        }
      });
    } finally {
      await corpus.cleanup();
      await db.drop();
    }
  },
});

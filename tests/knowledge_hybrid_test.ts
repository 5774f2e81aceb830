/**
 * The hybrid ranking (pgvector + full text) with a deterministic embedder behind a local
 * OpenAI-compatible `/embeddings` stand-in, on a Postgres that has pgvector (PGlite: see
 * `tests/support/pglite.ts` for why not the machine's server): the extension is created, the
 * sections embedded once, only changed sections re-embedded, a query that shares no word with
 * the right section still finds it, and an endpoint failure falls back to full text.
 */
import assert from "node:assert/strict";
import { openAiEmbedder } from "../actors/knowledge/embedder.ts";
import { indexStatus } from "../actors/knowledge/reads.ts";
import { reindex } from "../actors/knowledge/reindex.ts";
import { search, searchBackend } from "../actors/knowledge/search.ts";
import { embeddingsStandIn, testCorpus } from "./support/knowledge.ts";
import { pgvectorDatabase, settlesWithin } from "./support/pglite.ts";

const MNP = `# Number portability

## Port-in

A port-in brings a number over from the donor network. Approve the request once the
donor has confirmed it.
`;

const BLOCKED = `# Blocked line

## Top-up

A blocked line comes back with a data top-up bought from the catalog.
`;

const OPERATING = `# Running the system

## Daily checks

Look at open cases and dead letters once a day.
`;

Deno.test({
  name: "hybrid ranking: embeddings kept per section, semantic matches, fallback on failure",
  sanitizeOps: false,
  sanitizeResources: false,
  fn: (t) => settlesWithin(600_000, "the hybrid ranking test", () => hybrid(t)),
});

/** The steps, on a fresh pgvector database. */
async function hybrid(t: Deno.TestContext) {
  const db = await pgvectorDatabase();
  const corpus = await testCorpus({
    "docs/handbook/runbooks/mnp.md": MNP,
    "docs/handbook/runbooks/blocked.md": BLOCKED,
    "docs/handbook/operating.md": OPERATING,
  });
  const standIn = embeddingsStandIn({ dims: 48, apiKey: "sk-test" });
  const embedder = openAiEmbedder({
    baseUrl: standIn.url,
    model: "stand-in-1",
    apiKey: "sk-test",
  });
  const options = { root: corpus.root, embedder };
  const { sql } = db;
  const texts = () => standIn.requests.flatMap((r) => r.input).length;
  try {
    await t.step("reindex creates the extension and embeds every section once", async () => {
      const report = await reindex(sql, options);
      assert.deepEqual([report.backend, report.reason, report.chunks, report.embedded], [
        "hybrid",
        undefined,
        3,
        3,
      ]);
      const [ext] = await sql`select extname from pg_extension where extname = 'vector'`;
      assert.equal(ext.extname, "vector");
      const [{ dims }] = await sql`
          select atttypmod as dims from pg_attribute
           where attrelid = 'knowledge.embedding'::regclass and attname = 'embedding'`;
      assert.equal(dims, 48, "the column takes the endpoint's dimension");
      assert.equal(standIn.requests[0].model, "stand-in-1");
      assert.equal(texts(), 3);
      assert.deepEqual(await searchBackend(sql, embedder), { backend: "hybrid" });
      assert.equal((await indexStatus(sql, embedder)).embedded, 3);
    });

    await t.step("nothing is embedded again until a section changes", async () => {
      assert.equal((await reindex(sql, options)).embedded, 0);
      assert.equal((await reindex(sql, options, { force: true })).embedded, 0);
      assert.equal(texts(), 3);
      await corpus.write(
        "docs/handbook/runbooks/blocked.md",
        `${BLOCKED}\n## Cause\n\nAn allowance ran out.\n`,
      );
      const report = await reindex(sql, options);
      assert.deepEqual([report.updated, report.embedded], [1, 1]);
      assert.equal(texts(), 4, "only the new section went to the endpoint");
    });

    await t.step("a query sharing no word with the answer finds it by vector", async () => {
      const query = "switching carrier";
      const textOnly = await search(sql, { query, k: 3 });
      assert.deepEqual(textOnly.hits, [], "full text alone finds nothing");
      const hybrid = await search(sql, { query, k: 3 }, embedder);
      assert.equal(hybrid.backend, "hybrid");
      assert.equal(
        `${hybrid.hits[0].path}#${hybrid.hits[0].anchor}`,
        "docs/handbook/runbooks/mnp.md#port-in",
      );
      assert.equal(hybrid.hits[0].title, "Number portability › Port-in");
      assert.ok(hybrid.hits[0].snippet.startsWith("A port-in brings"), hybrid.hits[0].snippet);
    });

    await t.step("a section found both ways leads; kinds filter both lists", async () => {
      const both = await search(sql, { query: "data top-up", k: 3 }, embedder);
      assert.equal(both.hits[0].anchor, "top-up");
      assert.match(both.hits[0].snippet, /‹data› ‹top›-up/);
      assert.ok(both.hits[0].score > (both.hits[1]?.score ?? 0));
      const handbook = await search(sql, {
        query: "switching carrier",
        k: 3,
        kinds: ["handbook"],
      }, embedder);
      assert.ok(handbook.hits.every((h) => h.kind === "handbook"));
    });

    await t.step("another model's vectors are made again", async () => {
      const other = openAiEmbedder({
        baseUrl: standIn.url,
        model: "stand-in-2",
        apiKey: "sk-test",
      });
      const report = await reindex(sql, { ...options, embedder: other });
      assert.equal(report.embedded, 4);
      assert.equal(standIn.requests.at(-1)!.model, "stand-in-2");
    });

    await t.step("an endpoint failure at search time falls back to full text", async () => {
      standIn.failing = true;
      const found = await search(sql, { query: "port-in", k: 1 }, embedder);
      assert.equal(found.backend, "fts");
      assert.match(found.reason!, /^the embeddings endpoint failed: POST .*: 500/);
      assert.equal(found.hits[0].anchor, "port-in");
      await corpus.write("docs/handbook/operating.md", `${OPERATING}\nAnd the port requests.\n`);
      const report = await reindex(sql, options);
      assert.deepEqual([report.updated, report.backend], [1, "fts"]);
      assert.match(report.reason!, /^embedding failed: /);
      standIn.failing = false;
    });
  } finally {
    await standIn.stop();
    await corpus.cleanup();
    await db.drop();
  }
}

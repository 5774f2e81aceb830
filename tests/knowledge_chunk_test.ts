/**
 * The pure parts of the knowledge index: GitHub-style anchors, the cut by heading, the plain
 * text snippets are made from, identifier splitting and the corpus allowlist.
 */
import assert from "node:assert/strict";
import {
  chunkMarkdown,
  pageStatus,
  plainText,
  splitIdentifiers,
} from "../actors/knowledge/chunk.ts";
import { kindOf } from "../actors/knowledge/corpus.ts";
import { headingText, slug, Slugger } from "../actors/knowledge/slug.ts";

Deno.test("anchors are GitHub's slugs: lower case, punctuation dropped, repeats numbered", () => {
  assert.equal(slug("MNP port-in and port-out"), "mnp-port-in-and-port-out");
  assert.equal(slug("Price migration: notice & effect"), "price-migration-notice--effect");
  assert.equal(slug("What `BSS_ALLOW_ADMIN_RESET` does?"), "what-bss_allow_admin_reset-does");
  assert.equal(slug("eSIM re-download (LPA)"), "esim-re-download-lpa");
  assert.equal(slug("Étape 2 — vérifier"), "étape-2--vérifier");
  assert.equal(headingText("Use [the CLI](../x.md) and `bss`"), "Use the CLI and bss");
  const s = new Slugger();
  assert.deepEqual(
    ["Symptoms", "Fix", "Symptoms", "Symptoms", "Symptoms-1"].map((t) => s.anchor(t)),
    ["symptoms", "fix", "symptoms-1", "symptoms-2", "symptoms-1-1"],
  );
});

const RUNBOOK = `---
owner: ops
---
# Blocked line

> Status: accurate.

Intro text.

## Symptoms

The line is \`blocked\`.

### From the CLI

Run \`bss subscription get SUB-0001\`.

#### Deeper heading stays inside

Detail.

\`\`\`sh
# not a heading: a shell comment
bss subscription vas SUB-0001 VAS_DATA_1GB
\`\`\`

## Fix

## Symptoms

Second symptoms section.
`;

Deno.test("a file is cut at headings 1-3, code fences respected, heading paths correct", () => {
  const chunks = chunkMarkdown("docs/handbook/runbooks/blocked.md", RUNBOOK);
  assert.deepEqual(chunks.map((c) => [c.anchor, c.title, c.ord]), [
    ["blocked-line", "Blocked line", 0],
    ["symptoms", "Blocked line › Symptoms", 1],
    ["from-the-cli", "Blocked line › Symptoms › From the CLI", 2],
    // "Fix" has no text of its own: dropped. Its slug is still taken, as on GitHub.
    ["symptoms-1", "Blocked line › Symptoms", 3],
  ]);
  const cli = chunks[2];
  assert.match(cli.body, /^### From the CLI\n/);
  assert.match(cli.body, /#### Deeper heading stays inside/);
  assert.match(cli.body, /# not a heading: a shell comment/);
  // The plain text leaves the heading line (the title carries it) and the markup out.
  assert.equal(
    cli.plain,
    "Run bss subscription get SUB-0001. Deeper heading stays inside Detail. " +
      "# not a heading: a shell comment bss subscription vas SUB-0001 VAS_DATA_1GB",
  );
  assert.equal(chunks[0].plain, "Intro text.", "the page's status line is kept apart");
  assert.deepEqual(pageStatus(RUNBOOK).status, "> Status: accurate.");
  assert.equal(pageStatus("# T\n\nNo status.\n").status, null);
  assert.ok(!chunks.some((c) => c.body.includes("owner: ops")), "front matter stripped");
  assert.match(cli.terms, /\bSUB 0001\b/);
  assert.match(cli.terms, /\bVAS DATA 1GB\b/);
  assert.notEqual(chunks[1].contentHash, chunks[3].contentHash);
});

Deno.test("text before the first heading is a preamble section named by the path", () => {
  const chunks = chunkMarkdown("docs/notes.md", "Loose text.\n\n## Section\n\nBody.\n");
  assert.deepEqual(chunks.map((c) => [c.anchor, c.title]), [
    ["", "docs/notes.md"],
    ["section", "Section"],
  ]);
  assert.deepEqual(chunkMarkdown("docs/empty.md", "\n\n"), []);
});

Deno.test("plain text: links by their text, tables and emphasis without markup", () => {
  assert.equal(
    plainText(
      "| verb | does |\n|---|---|\n| `bss x` | **runs** [it](a.md) |\n\n- one\n- _two_ item",
    ),
    "verb does bss x runs it one two item",
  );
});

Deno.test("identifiers split into words, so rule codes and env names are found either way", () => {
  assert.equal(
    splitIdentifiers("order.create.requires_cof and BSS_ALLOW_ADMIN_RESET, port-in"),
    "order create requires cof and BSS ALLOW ADMIN RESET, port in",
  );
});

Deno.test("the corpus allowlist and kinds", () => {
  assert.equal(kindOf("docs/handbook/runbooks/mnp-port-flows.md"), "runbook");
  assert.equal(kindOf("docs/handbook/operating.md"), "handbook");
  assert.equal(kindOf("docs/handbook/deeper/page.md"), "handbook");
  assert.equal(kindOf("docs/domains.md"), "reference");
  assert.equal(kindOf("docs/TOOLS.md"), null, "generated from the registry: left out");
  assert.equal(kindOf("README.md"), "reference");
  assert.equal(kindOf("docs/other/page.md"), null);
  assert.equal(kindOf("bench/PROPOSALS.md"), null);
  assert.equal(kindOf("docs/handbook/image.png"), null);
});

/**
 * Knowledge tools (docs/cockpit.md §7): search the handbook, runbooks and reference docs, read a
 * section in full, and the operator's `bss admin knowledge reindex|search|list|status`. An answer
 * built on them cites `[label](path#anchor)` with the path and anchor of a hit; the agent's
 * citation guard checks that a cited section was returned in the same turn.
 *
 * @module
 */
import { z } from "zod";
import { KINDS } from "../actors/knowledge/corpus.ts";
import {
  getSectionRoute,
  knowledgeStatusRoute,
  listSectionsRoute,
  reindexKnowledgeRoute,
  searchKnowledgeRoute,
} from "../http/knowledge/routes.ts";
import { limit } from "./args.ts";
import { defineTool, OPERATOR, type Tool, type ToolContext } from "./tool.ts";

const Query = z.string().trim().min(1).max(500).describe(
  "What to look for, in plain words (a misspelt word is corrected); quotes make a phrase",
);
const Kind = z.enum(KINDS).describe("runbook (what to do), handbook (how it works) or reference");
const Path = z.string().trim().min(1).describe("The path of a knowledge.search hit");

/** A search through the CRM service's knowledge API. */
function searchVia(ctx: ToolContext, query: string, k: number, kinds?: readonly string[]) {
  return ctx.client("crm").call(searchKnowledgeRoute, {
    query: { q: query, k, kinds: kinds?.join(",") },
  });
}

/** The knowledge tools. */
export const knowledgeTools: Tool[] = [
  defineTool({
    name: "knowledge.search",
    description: "Search the operator handbook and runbooks; cite a hit as " +
      "[title](path#anchor) and read it in full with knowledge.get",
    class: "read",
    profiles: OPERATOR,
    args: z.object({
      query: Query,
      k: z.number().int().min(1).max(20).default(5).describe("At most this many hits"),
      kinds: z.array(Kind).optional().describe("Only these kinds (default all)"),
    }),
    run: ({ query, k, kinds }, ctx) => searchVia(ctx, query, k, kinds),
  }),
  defineTool({
    name: "knowledge.get",
    description: "One handbook section in full, by the path and anchor of a knowledge.search hit",
    class: "read",
    profiles: OPERATOR,
    args: z.object({
      path: Path,
      anchor: z.string().trim().describe("The anchor of the hit (empty: the file's preamble)"),
    }),
    run: async ({ path, anchor }, ctx) => {
      const section = await ctx.client("crm").call(getSectionRoute, { query: { path, anchor } });
      return {
        path: section.path,
        anchor: section.anchor,
        title: section.title,
        text: section.text,
      };
    },
  }),
];

/** The operator's knowledge verbs: CLI only (admin class, no profile), never an LLM. */
export const knowledgeAdminVerbs: Tool[] = [
  defineTool({
    name: "admin.knowledge.reindex",
    description: "Bring the knowledge index up to the files (unchanged files skipped; " +
      "--force re-reads every file)",
    class: "admin",
    profiles: [],
    args: z.object({
      force: z.boolean().default(false).describe("Re-read and re-cut every file"),
    }),
    run: ({ force }, ctx) => ctx.client("crm").call(reindexKnowledgeRoute, { body: { force } }),
  }),
  defineTool({
    name: "admin.knowledge.search",
    description: "Search the knowledge index, as lines for the terminal: score, kind and " +
      "path#anchor, then the snippet (bss knowledge search --json gives the data)",
    class: "admin",
    profiles: [],
    args: z.object({
      query: Query,
      k: z.number().int().min(1).max(20).default(3).describe("At most this many hits"),
      kind: Kind.optional(),
    }),
    run: async ({ query, k, kind }, ctx) => {
      const found = await searchVia(ctx, query, k, kind && [kind]);
      return [
        ...found.searched === found.query ? [] : [`(searched for: ${found.searched})`],
        ...found.hits.flatMap((h) => [
          `${h.score.toFixed(3)}  ${h.kind.padEnd(9)}  ${h.path}#${h.anchor}`,
          `       ${h.snippet}`,
        ]),
      ];
    },
  }),
  defineTool({
    name: "admin.knowledge.list",
    description: "The indexed sections: path, anchor, kind, heading path, content hash",
    class: "admin",
    profiles: [],
    args: z.object({ limit: limit(50, 5000), kind: Kind.optional() }),
    run: (query, ctx) => ctx.client("crm").call(listSectionsRoute, { query }),
  }),
  defineTool({
    name: "admin.knowledge.status",
    description: "How much is indexed and with vectors, and whether searches rank hybrid " +
      "(pgvector + full text) or full text only, and why",
    class: "admin",
    profiles: [],
    args: z.object({}),
    run: (_, ctx) => ctx.client("crm").call(knowledgeStatusRoute),
  }),
];

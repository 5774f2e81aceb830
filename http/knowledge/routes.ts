/**
 * The knowledge API (`/knowledge-api/v1`, served by CRM as customer-care knowledge): search
 * the handbook, runbooks and reference docs; read one section in full; list sections; the
 * state of the index; reindex. Route definitions only: `endpoints.ts` serves them.
 *
 * @module
 */
import { z } from "zod";
import { wholeNumber } from "../paging.ts";
import { KINDS } from "../../actors/knowledge/corpus.ts";
import { defineRoute } from "../route.ts";

const BASE = "/knowledge-api/v1";
const Kind = z.enum(KINDS);
const Instant = z.iso.datetime({ offset: true });
const Backend = z.enum(["fts", "hybrid"]);

/** One section found by a search. */
export const KnowledgeHit = z.object({
  path: z.string(),
  anchor: z.string(),
  title: z.string(),
  /** Fragments of the section with the matched words between ‹ and ›. */
  snippet: z.string(),
  score: z.number(),
  kind: Kind,
});

/** `GET /search`. */
export const searchKnowledgeRoute = defineRoute({
  method: "GET",
  path: `${BASE}/search`,
  summary: "Search the handbook, runbooks and reference docs (full text, trigram spelling " +
    "fallback, hybrid with pgvector when embeddings are configured)",
  query: z.object({
    q: z.string().max(500),
    k: wholeNumber().min(1).max(20).default(5),
    /** Comma-separated kinds; all when absent. */
    kinds: z.string().optional().transform((v, ctx) => {
      const list = (v ?? "").split(",").map((s) => s.trim()).filter(Boolean);
      const bad = list.filter((k) => !(KINDS as readonly string[]).includes(k));
      if (bad.length) {
        ctx.addIssue({ code: "custom", message: `unknown kind ${bad.join(", ")}` });
        return z.NEVER;
      }
      return list.length ? list : undefined;
    }),
  }),
  response: z.object({
    query: z.string(),
    searched: z.string(),
    backend: Backend,
    reason: z.string().optional(),
    hits: z.array(KnowledgeHit),
  }),
});

/** `GET /section?path=&anchor=`: one section in full. */
export const getSectionRoute = defineRoute({
  method: "GET",
  path: `${BASE}/section`,
  summary: "One section in full, by its file path and heading anchor",
  query: z.object({ path: z.string().min(1).max(500), anchor: z.string().max(500) }),
  response: z.object({
    path: z.string(),
    anchor: z.string(),
    title: z.string(),
    text: z.string(),
    kind: Kind,
    indexedAt: Instant,
  }),
});

/** `GET /sections`. */
export const listSectionsRoute = defineRoute({
  method: "GET",
  path: `${BASE}/sections`,
  summary: "Indexed sections in file and position order",
  query: z.object({
    limit: wholeNumber().min(1).max(5000).default(50),
    kind: Kind.optional(),
  }),
  response: z.array(z.object({
    path: z.string(),
    anchor: z.string(),
    kind: Kind,
    title: z.string(),
    hash: z.string(),
  })),
});

/** The backend searches use and why it is not hybrid. */
const BackendState = { backend: Backend, reason: z.string().optional() };

/** `GET /status`. */
export const knowledgeStatusRoute = defineRoute({
  method: "GET",
  path: `${BASE}/status`,
  summary: "How much is indexed, with vectors, and which ranking searches use",
  response: z.object({
    documents: z.number().int(),
    sections: z.number().int(),
    embedded: z.number().int(),
    indexedAt: Instant.nullable(),
    ...BackendState,
  }),
});

/** `POST /reindex`. */
export const reindexKnowledgeRoute = defineRoute({
  method: "POST",
  path: `${BASE}/reindex`,
  summary: "Bring the index up to the files: unchanged files skipped, changed ones " +
    "re-cut, removed ones deleted; force re-reads every file",
  body: z.object({ force: z.boolean().default(false) }).optional(),
  response: z.object({
    files: z.number().int(),
    added: z.number().int(),
    updated: z.number().int(),
    deleted: z.number().int(),
    skipped: z.number().int(),
    chunks: z.number().int(),
    embedded: z.number().int(),
    ms: z.number(),
    ...BackendState,
  }),
});

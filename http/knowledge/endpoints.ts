/**
 * The knowledge endpoints: each hands its validated input to `actors/knowledge` and maps the
 * answer to the wire (dates as ISO strings). No logic lives here.
 *
 * @module
 */
import type { Config } from "../../kernel/config.ts";
import type { Pool } from "../../kernel/db/types.ts";
import { openAiEmbedder } from "../../actors/knowledge/embedder.ts";
import { getSection, indexStatus, listSections } from "../../actors/knowledge/reads.ts";
import { type KnowledgeOptions, reindex } from "../../actors/knowledge/reindex.ts";
import { search, searchBackend } from "../../actors/knowledge/search.ts";
import { type Endpoint, endpoint } from "../route.ts";
import {
  getSectionRoute,
  knowledgeStatusRoute,
  listSectionsRoute,
  reindexKnowledgeRoute,
  searchKnowledgeRoute,
} from "./routes.ts";

/** The corpus root and the embedder (when an endpoint is configured) of `config`. */
export function knowledgeOptions(config: Config): KnowledgeOptions {
  const baseUrl = config.BSS_EMBEDDINGS_BASE_URL;
  return {
    root: config.BSS_KNOWLEDGE_ROOT,
    embedder: baseUrl
      ? openAiEmbedder({
        baseUrl,
        model: config.BSS_EMBEDDINGS_MODEL,
        apiKey: config.BSS_EMBEDDINGS_API_KEY,
        dimensions: config.BSS_EMBEDDINGS_DIMENSIONS || undefined,
      })
      : undefined,
  };
}

/** Every knowledge endpoint. */
export function knowledgeEndpoints(
  { sql, options }: { sql: Pool; options: KnowledgeOptions },
): Endpoint[] {
  return [
    endpoint(
      searchKnowledgeRoute,
      ({ query }) =>
        search(sql, { query: query.q, k: query.k, kinds: query.kinds }, options.embedder),
    ),
    endpoint(getSectionRoute, async ({ query }) => {
      const section = await getSection(sql, query.path, query.anchor);
      return { ...section, indexedAt: section.indexedAt.toISOString() };
    }),
    endpoint(listSectionsRoute, ({ query }) => listSections(sql, query)),
    endpoint(knowledgeStatusRoute, async () => {
      const status = await indexStatus(sql, options.embedder);
      return {
        ...status,
        indexedAt: status.indexedAt?.toISOString() ?? null,
        ...await searchBackend(sql, options.embedder),
      };
    }),
    endpoint(
      reindexKnowledgeRoute,
      ({ body }) => reindex(sql, options, { force: body?.force ?? false }),
    ),
  ];
}

/**
 * The knowledge domain for the role table (`http/roles.ts`): served by CRM (customer-care
 * knowledge), no actor kinds, no event bindings; in the background, one reindex at start-up
 * when `BSS_KNOWLEDGE_REINDEX_ON_START` is on (a stat per file when nothing changed).
 *
 * @module
 */
import { reindex } from "../../actors/knowledge/reindex.ts";
import { log } from "../../kernel/log.ts";
import type { Deps } from "../env.ts";
import type { Endpoint } from "../route.ts";
import { knowledgeEndpoints, knowledgeOptions } from "./endpoints.ts";

/** Every knowledge endpoint, configured from `deps.config`. */
export function endpoints({ config, sql }: Pick<Deps, "config" | "sql">): Endpoint[] {
  return knowledgeEndpoints({ sql, options: knowledgeOptions(config) });
}

/**
 * Brings the index up to the files once, in the background; the returned stop aborts any
 * embedding still running and waits for the reindex to end. A failure is logged, never fatal:
 * searches answer from the index as it was.
 */
export function reindexOnStart({ config, sql }: Pick<Deps, "config" | "sql">): () => Promise<void> {
  if (!config.BSS_KNOWLEDGE_REINDEX_ON_START) return () => Promise.resolve();
  const abort = new AbortController();
  const running = reindex(sql, knowledgeOptions(config), { signal: abort.signal }).then(
    (report) => log.info("knowledge.reindexed", { ...report }),
    (e) => log.warn("knowledge.reindex_failed", { error: (e as Error).message }),
  );
  return async () => {
    abort.abort();
    await running;
  };
}

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

// A start-up reindex that fails (the database busy or still starting) is tried again, after
// 1, 2, 4 and 8 s; after that the index stays as it was until the next reindex.
const ATTEMPTS = 5;
const FIRST_PAUSE_MS = 1000;

/** Waits `ms`, or less when `signal` aborts. */
function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener("abort", () => (clearTimeout(timer), resolve()), { once: true });
  });
}

/**
 * Brings the index up to the files in the background; the returned stop aborts it (between two
 * files, rolling the pass back; a pause; embedding) and waits for it to end, so a stop is not
 * held up by a reindex. A failure is logged and retried, never fatal: searches answer from the
 * index as it was.
 */
export function reindexOnStart({ config, sql }: Pick<Deps, "config" | "sql">): () => Promise<void> {
  if (!config.BSS_KNOWLEDGE_REINDEX_ON_START) return () => Promise.resolve();
  const abort = new AbortController();
  const options = knowledgeOptions(config);
  const running = (async () => {
    for (let attempt = 1; !abort.signal.aborted; attempt++) {
      try {
        const report = await reindex(sql, options, { signal: abort.signal });
        log.info("knowledge.reindexed", { ...report });
        return;
      } catch (e) {
        if (abort.signal.aborted) return; // stopped: the next start brings the index up
        log.warn("knowledge.reindex_failed", { attempt, error: (e as Error).message });
        if (attempt === ATTEMPTS) return;
        await pause(FIRST_PAUSE_MS * 2 ** (attempt - 1), abort.signal);
      }
    }
  })();
  return async () => {
    abort.abort();
    await running;
  };
}

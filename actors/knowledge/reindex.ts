/**
 * Keeping the index equal to the files. A reindex stats every corpus file; a file whose size
 * and modification time match its row is skipped unread, a read file whose content hash
 * matches is skipped too (its times refreshed), a changed file has its sections upserted (an
 * unchanged section keeps its vector) and its vanished sections deleted, a removed file is
 * deleted. One transaction under an advisory lock, so replicas starting together index once.
 * Then, when an embeddings endpoint is configured and pgvector is there, the sections without
 * a current vector are embedded, after the commit (the endpoint is never waited on while the
 * index is locked).
 *
 * @module
 */
import { join } from "node:path";
import type { Pool, Sql } from "../../kernel/db/types.ts";
import { type Chunk, CHUNKER_VERSION, chunkMarkdown, pageStatus, sha256 } from "./chunk.ts";
import { type CorpusFile, listCorpus } from "./corpus.ts";
import type { Embedder } from "./embedder.ts";
import { embedMissing, enableVectors, NO_ENDPOINT } from "./vectors.ts";

/** Where the corpus is and how it is embedded. */
export interface KnowledgeOptions {
  /** The project folder: `README.md` and `docs/` are read from here. */
  root: string;
  /** The embeddings endpoint, when one is configured. */
  embedder?: Embedder;
}

/** What a reindex did. */
export interface ReindexReport {
  files: number;
  added: number;
  updated: number;
  deleted: number;
  skipped: number;
  /** Sections in the index afterwards. */
  chunks: number;
  /** Sections embedded by this run. */
  embedded: number;
  /** `hybrid` when sections have vectors to rank by, else `fts`. */
  backend: "fts" | "hybrid";
  /** Why the backend is `fts` (no endpoint, no pgvector, the endpoint failed). */
  reason?: string;
  ms: number;
}

const INDEX_LOCK = 7_311_241;

interface DocumentRow {
  path: string;
  size: number;
  mtime_ms: number;
  content_hash: string;
}

/** The hash a file's row keeps: its text, its kind and the chunker that cut it. */
function documentHash(file: CorpusFile, text: string): string {
  return sha256(`${CHUNKER_VERSION}\n${file.kind}\n${text}`);
}

/** Writes one file's sections: upserts those present, deletes those gone. */
async function writeSections(tx: Sql, file: CorpusFile, hash: string, text: string) {
  const chunks = chunkMarkdown(file.path, text);
  const { status } = pageStatus(text);
  await tx`
    insert into knowledge.document
      (path, kind, size, mtime_ms, content_hash, status, chunk_count)
    values (${file.path}, ${file.kind}, ${file.size}, ${file.mtimeMs}, ${hash}, ${status},
            ${chunks.length})
    on conflict (path) do update
      set kind = excluded.kind, size = excluded.size, mtime_ms = excluded.mtime_ms,
          content_hash = excluded.content_hash, status = excluded.status,
          chunk_count = excluded.chunk_count, indexed_at = now()`;
  await tx`
    delete from knowledge.chunk
     where path = ${file.path} and anchor <> all(${chunks.map((c) => c.anchor)}::text[])`;
  if (!chunks.length) return;
  const column = <K extends keyof Chunk>(k: K) => chunks.map((c) => c[k]);
  await tx`
    insert into knowledge.chunk
      (path, anchor, ord, kind, heading, page, title, body, plain, terms, content_hash)
    select ${file.path}, * from unnest(
      ${column("anchor")}::text[], ${column("ord")}::int[], ${chunks.map(() => file.kind)}::text[],
      ${column("heading")}::text[], ${column("page")}::text[], ${column("title")}::text[],
      ${column("body")}::text[], ${column("plain")}::text[], ${column("terms")}::text[],
      ${column("contentHash")}::text[])
    on conflict (path, anchor) do update
      set ord = excluded.ord, kind = excluded.kind, heading = excluded.heading,
          page = excluded.page, title = excluded.title, body = excluded.body,
          plain = excluded.plain, terms = excluded.terms, content_hash = excluded.content_hash`;
}

/** The word list misspellings are corrected against, rebuilt from the sections. */
async function rebuildTerms(tx: Sql): Promise<void> {
  await tx`delete from knowledge.term`;
  await tx`
    insert into knowledge.term (word, chunks)
    select word, ndoc from ts_stat(
      'select to_tsvector(''simple'', title || '' '' || plain || '' '' || terms) from knowledge.chunk')`;
}

/**
 * Brings the full-text index up to the files; returns the counts (embedding not included).
 * An abort of `signal` between two files rolls the whole pass back (a stopping process).
 */
async function indexFiles(sql: Pool, root: string, force: boolean, signal?: AbortSignal) {
  const corpus = await listCorpus(root);
  return await sql.begin(async (tx) => {
    await tx`select pg_advisory_xact_lock(${INDEX_LOCK})`;
    const rows = await tx<DocumentRow[]>`
      select path, size, mtime_ms, content_hash from knowledge.document`;
    const known = new Map(rows.map((r) => [r.path, r]));
    const counts = { files: corpus.length, added: 0, updated: 0, deleted: 0, skipped: 0 };
    for (const file of corpus) {
      signal?.throwIfAborted();
      const row = known.get(file.path);
      known.delete(file.path);
      if (!force && row?.size === file.size && row.mtime_ms === file.mtimeMs) {
        counts.skipped++;
        continue;
      }
      const text = await Deno.readTextFile(join(root, file.path));
      const hash = documentHash(file, text);
      if (!force && row?.content_hash === hash) {
        await tx`update knowledge.document set size = ${file.size}, mtime_ms = ${file.mtimeMs}
                  where path = ${file.path}`;
        counts.skipped++;
        continue;
      }
      await writeSections(tx, file, hash, text);
      counts[row ? "updated" : "added"]++;
    }
    const gone = [...known.keys()];
    if (gone.length) await tx`delete from knowledge.document where path = any(${gone}::text[])`;
    counts.deleted = gone.length;
    if (counts.added + counts.updated + counts.deleted > 0) await rebuildTerms(tx);
    const [{ chunks }] = await tx<{ chunks: number }[]>`
      select count(*)::int as chunks from knowledge.chunk`;
    return { ...counts, chunks };
  });
}

/**
 * Reindexes the corpus under `options.root`; `force` re-reads and re-cuts every file;
 * `signal` stops it between two files (nothing is written) or between embedding batches.
 */
export async function reindex(
  sql: Pool,
  options: KnowledgeOptions,
  { force = false, signal }: { force?: boolean; signal?: AbortSignal } = {},
): Promise<ReindexReport> {
  const started = performance.now();
  const counts = await indexFiles(sql, options.root, force, signal);
  const finish = (backend: "fts" | "hybrid", embedded: number, reason?: string) => ({
    ...counts,
    embedded,
    backend,
    ...reason && { reason },
    ms: Math.round(performance.now() - started),
  });
  if (!options.embedder) return finish("fts", 0, NO_ENDPOINT);
  const vectors = await enableVectors(sql);
  if (!vectors.ok) return finish("fts", 0, vectors.reason);
  try {
    return finish("hybrid", await embedMissing(sql, options.embedder, signal));
  } catch (e) {
    return finish("fts", 0, `embedding failed: ${(e as Error).message}`);
  }
}

/**
 * The pgvector side of the hybrid ranking. The `vector` extension is optional: it is looked
 * for (and created when the server has it) at run time, never by a migration, so the schema
 * installs on any Postgres. `knowledge.embedding` holds one vector per section, keyed like the
 * section and tagged with the content hash and model it was made from; its dimension is the
 * one the endpoint returns, and a model with another dimension rebuilds the table.
 *
 * @module
 */
import type { Pool, Sql } from "../../kernel/db/types.ts";
import type { Embedder } from "./embedder.ts";

/** Whether vectors can be used here, and if not, why. */
export type VectorSupport = { ok: true } | { ok: false; reason: string };

/** Why the index is full-text only when no endpoint is configured. */
export const NO_ENDPOINT = "no embeddings endpoint is configured (BSS_EMBEDDINGS_BASE_URL)";

/** Why the index is full-text only on a server without pgvector. */
export const NO_PGVECTOR =
  "the pgvector extension (vector) is not available on this Postgres server";

/** Uses the `vector` extension: already there, or created when the server offers it. */
export async function enableVectors(sql: Pool): Promise<VectorSupport> {
  const [row] = await sql<{ installed: boolean; available: boolean }[]>`
    select exists (select 1 from pg_extension where extname = 'vector') as installed,
           exists (select 1 from pg_available_extensions where name = 'vector') as available`;
  if (row.installed) return { ok: true };
  if (!row.available) return { ok: false, reason: NO_PGVECTOR };
  try {
    await sql`create extension if not exists vector`;
    return { ok: true };
  } catch (e) {
    return { ok: false, reason: `creating the vector extension failed: ${(e as Error).message}` };
  }
}

/** Whether pgvector is installed, and the dimension of `knowledge.embedding` (null: none). */
export async function vectorTable(sql: Sql): Promise<{ installed: boolean; dims: number | null }> {
  const [row] = await sql<{ installed: boolean; dims: number | null }[]>`
    select exists (select 1 from pg_extension where extname = 'vector') as installed,
           (select atttypmod from pg_attribute
             where attrelid = to_regclass('knowledge.embedding') and attname = 'embedding')
             as dims`;
  return row;
}

/** The dimension of `knowledge.embedding`, or null when the table does not exist. */
async function tableDimension(sql: Sql): Promise<number | null> {
  return (await vectorTable(sql)).dims;
}

/** Makes `knowledge.embedding` for vectors of `dims` (dropping one of another dimension). */
async function ensureTable(sql: Sql, dims: number): Promise<void> {
  if (await tableDimension(sql) === dims) return;
  await sql`drop table if exists knowledge.embedding`;
  await sql.unsafe(`
    create table knowledge.embedding (
      path text not null,
      anchor text not null,
      content_hash text not null,
      model text not null,
      embedding vector(${dims}) not null,
      primary key (path, anchor),
      foreign key (path, anchor) references knowledge.chunk (path, anchor) on delete cascade
    );
    create index embedding_cosine on knowledge.embedding using hnsw (embedding vector_cosine_ops);
  `);
}

/** pgvector's text form of a vector. */
export function vectorLiteral(v: readonly number[]): string {
  return `[${v.join(",")}]`;
}

// One embedder at a time across processes; another one busy means the work is in hand.
const EMBED_LOCK = 7_311_240;
const BATCH = 64;

/**
 * Embeds every section whose vector is missing or was made from other content or another
 * model, a batch per transaction. Returns how many sections were embedded. Gives way (returns
 * what it did so far) when another process holds the embedding lock, or `signal` aborts.
 */
export async function embedMissing(
  sql: Pool,
  embedder: Embedder,
  signal?: AbortSignal,
): Promise<number> {
  let embedded = 0;
  while (!signal?.aborted) {
    const done = await sql.begin(async (tx) => {
      const [{ locked }] = await tx<{ locked: boolean }[]>`
        select pg_try_advisory_xact_lock(${EMBED_LOCK}) as locked`;
      if (!locked) return 0;
      const exists = await tableDimension(tx) !== null;
      const due = await tx<{ path: string; anchor: string; text: string; hash: string }[]>`
        select c.path, c.anchor, c.title || E'\n\n' || c.plain as text, c.content_hash as hash
          from knowledge.chunk c
         where ${
        exists
          ? tx`not exists (select 1 from knowledge.embedding e
                           where e.path = c.path and e.anchor = c.anchor
                             and e.content_hash = c.content_hash and e.model = ${embedder.model})`
          : tx`true`
      }
         order by c.path, c.ord
         limit ${BATCH}`;
      if (!due.length) return 0;
      const vectors = await embedder.embed(due.map((d) => d.text), signal);
      await ensureTable(tx, vectors[0].length);
      await tx`
        insert into knowledge.embedding (path, anchor, content_hash, model, embedding)
        select path, anchor, hash, ${embedder.model}, v::vector
          from unnest(${due.map((d) => d.path)}::text[], ${due.map((d) => d.anchor)}::text[],
                      ${due.map((d) => d.hash)}::text[], ${vectors.map(vectorLiteral)}::text[])
               as t(path, anchor, hash, v)
        on conflict (path, anchor) do update
          set content_hash = excluded.content_hash, model = excluded.model,
              embedding = excluded.embedding`;
      return due.length;
    });
    embedded += done;
    if (done < BATCH) break;
  }
  return embedded;
}

/** How many sections have a current vector of `model`. */
export async function embeddedCount(sql: Sql, model: string): Promise<number> {
  if (await tableDimension(sql) === null) return 0;
  const [{ n }] = await sql<{ n: number }[]>`
    select count(*)::int as n from knowledge.embedding e
      join knowledge.chunk c using (path, anchor)
     where e.model = ${model} and e.content_hash = c.content_hash`;
  return n;
}

/** A section found by vector. */
export interface Near {
  path: string;
  anchor: string;
}

/** The `limit` sections nearest to `vector` (cosine), optionally of some kinds only. */
export async function nearest(
  sql: Sql,
  vector: readonly number[],
  model: string,
  kinds: readonly string[] | null,
  limit: number,
): Promise<Near[]> {
  if (await tableDimension(sql) !== vector.length) return [];
  return await sql<Near[]>`
    select c.path, c.anchor
      from knowledge.embedding e join knowledge.chunk c using (path, anchor)
     where e.model = ${model} and e.content_hash = c.content_hash
       and (${kinds}::text[] is null or c.kind = any(${kinds}::text[]))
     order by e.embedding <=> ${vectorLiteral(vector)}::vector
     limit ${limit}`;
}

/**
 * Searching the index. Full text first: the sections holding every word of the query
 * (`websearch_to_tsquery`, so quotes make phrases). When none does, each word that matches no
 * section is replaced by the corpus word nearest by trigram similarity (`pg_trgm`: a typo finds
 * what was meant), every word is tried again, and then any word may match. A section's score is
 * its cover density (`ts_rank_cd`: many matches close together count most) over the weighted
 * vector — own heading A, page title B, text C, identifiers and heading path D — divided by the
 * log of its length, times the square of the share of the query's words it holds, times its
 * kind's weight. With an embeddings endpoint and pgvector, that list and the nearest sections
 * by cosine are fused by reciprocal rank (each list gives 1/(60 + rank)), times the kind's
 * weight. Snippets are `ts_headline` fragments with the matched words between ‹ and ›.
 *
 * @module
 */
import type { Sql } from "../../kernel/db/types.ts";
import { splitIdentifiers } from "./chunk.ts";
import { type Kind, KIND_WEIGHTS, KINDS } from "./corpus.ts";
import type { Embedder } from "./embedder.ts";
import { nearest, NO_ENDPOINT, NO_PGVECTOR, vectorTable } from "./vectors.ts";

/** One section found. */
export interface Hit {
  path: string;
  anchor: string;
  title: string;
  snippet: string;
  score: number;
  kind: Kind;
}

/** What a search found, and how. */
export interface SearchResult {
  query: string;
  /** The text searched: the query, or the query with misspelt words corrected. */
  searched: string;
  backend: "fts" | "hybrid";
  /** Why the backend is `fts` when an endpoint is configured or could be. */
  reason?: string;
  hits: Hit[];
}

/** A search request. */
export interface SearchRequest {
  query: string;
  /** How many hits at most. */
  k: number;
  /** Only sections of these kinds (all when absent). */
  kinds?: readonly string[];
}

/** The markers around matched words in a snippet. */
export const MARK = { start: "‹", stop: "›" } as const;

const HEADLINE = `StartSel=${MARK.start}, StopSel=${MARK.stop}, MaxWords=30, MinWords=12, ` +
  `ShortWord=3, MaxFragments=2, FragmentDelimiter=" … "`;
// Candidates per list before fusion, and reciprocal rank fusion's constant.
const POOL = 50;
const RRF_K = 60;

interface Ranked {
  path: string;
  anchor: string;
  title: string;
  kind: Kind;
  score: number;
}

/** The tsquery of `text`: all words (`and`, quotes make phrases) or any word (`or`). */
function tsquery(sql: Sql, text: string, mode: "and" | "or") {
  return mode === "and" ? sql`websearch_to_tsquery('english', ${text})` : sql`(
    select coalesce(string_agg(quote_literal(lexeme), ' | '), '')::tsquery
      from unnest(tsvector_to_array(to_tsvector('english', ${text}))) as lexeme)`;
}

// ts_rank_cd normalisation: divided by 1 + the log of the length in words (a long section
// is not favoured for its length alone, a short one not for its brevity), scaled into 0..1.
const NORMALISATION = 1 | 32;

/**
 * Sections where all (`and`) or any (`or`) words of `text` match, best first. Either way a
 * section's score is its cover density for any of the words, times the square of the share of
 * the query's words it holds, times its kind's weight.
 */
async function fullText(
  sql: Sql,
  text: string,
  mode: "and" | "or",
  kinds: readonly string[] | null,
  limit: number,
): Promise<Ranked[]> {
  return await sql<Ranked[]>`
    select c.path, c.anchor, c.title, c.kind,
           (ts_rank_cd(c.search, q.any_word, ${NORMALISATION}) * w.weight
             * power((select count(*) from unnest(q.lexemes) as l
                       where c.search @@ quote_literal(l)::tsquery)::float8
                     / greatest(cardinality(q.lexemes), 1), 2))::float8 as score
      from knowledge.chunk c
      join unnest(${[...KINDS]}::text[], ${KINDS.map((k) => KIND_WEIGHTS[k])}::float8[])
           as w(kind, weight) on w.kind = c.kind
     cross join (select ${tsquery(sql, text, mode)} as filter,
                        ${tsquery(sql, text, "or")} as any_word,
                        tsvector_to_array(to_tsvector('english', ${text})) as lexemes) q
     where c.search @@ q.filter and (${kinds}::text[] is null or c.kind = any(${kinds}::text[]))
     order by score desc, c.path, c.ord
     limit ${limit}`;
}

// A word worth correcting: a letter, then at least three letters or digits (shorter words
// have too few trigrams to tell a typo from another word).
const WORD = /[\p{L}][\p{L}\p{N}]{3,}/gu;
// The least trigram similarity of a correction: "provisoning" → "provisioning" is 0.67,
// "stuk" → "stuck" 0.38; "wants" → "waits" (0.33), another word, is not taken.
const SIMILAR = 0.35;

/**
 * `query` with each word that matches no section (and is no stop word) replaced by the most
 * similar word of the corpus by trigrams, when one is similar enough; unchanged otherwise.
 */
export async function correctSpelling(sql: Sql, query: string): Promise<string> {
  const words = [...new Set([...query.toLowerCase().matchAll(WORD)].map((m) => m[0]))];
  if (!words.length) return query;
  const fixes = await sql<{ wrong: string; right: string }[]>`
    select w.word as wrong, best.word as right
      from unnest(${words}::text[]) as w(word)
     cross join lateral (
       select t.word from knowledge.term t
        where t.word % w.word and similarity(t.word, w.word) >= ${SIMILAR}
        order by similarity(t.word, w.word) desc, t.chunks desc, t.word
        limit 1) best
     where numnode(plainto_tsquery('english', w.word)) > 0
       and not exists (select 1 from knowledge.chunk c
                        where c.search @@ plainto_tsquery('english', w.word))`;
  const fix = new Map(fixes.map((f) => [f.wrong, f.right]));
  return query.replace(WORD, (w) => fix.get(w.toLowerCase()) ?? w);
}

/** The full-text list and the text it was found with: as typed, then corrected, then any word. */
async function textList(
  sql: Sql,
  query: string,
  kinds: readonly string[] | null,
): Promise<{ searched: string; ranked: Ranked[] }> {
  const typed = splitIdentifiers(query);
  let ranked = await fullText(sql, typed, "and", kinds, POOL);
  if (ranked.length) return { searched: query, ranked };
  const searched = await correctSpelling(sql, query);
  const text = splitIdentifiers(searched);
  if (searched !== query) ranked = await fullText(sql, text, "and", kinds, POOL);
  if (!ranked.length) ranked = await fullText(sql, text, "or", kinds, POOL);
  return { searched, ranked };
}

/** Which ranking a search runs, and when full text only, why. */
export interface BackendState {
  backend: "fts" | "hybrid";
  reason?: string;
}

/** Hybrid when an embedder is configured, pgvector is installed and sections have vectors. */
export async function searchBackend(sql: Sql, embedder?: Embedder): Promise<BackendState> {
  if (!embedder) return { backend: "fts", reason: NO_ENDPOINT };
  const row = await vectorTable(sql);
  if (!row.installed) return { backend: "fts", reason: NO_PGVECTOR };
  if (row.dims === null) {
    return { backend: "fts", reason: "no section has a vector yet (bss admin knowledge reindex)" };
  }
  return { backend: "hybrid" };
}

/** Reciprocal rank fusion of the two lists, times each section's kind weight. */
function fuse(text: Ranked[], near: Array<{ path: string; anchor: string }>, byKey: Ranked[]) {
  const key = (r: { path: string; anchor: string }) => `${r.path}#${r.anchor}`;
  const info = new Map(byKey.map((r) => [key(r), r]));
  const scores = new Map<string, number>();
  const add = (list: Array<{ path: string; anchor: string }>) =>
    list.forEach((r, i) => scores.set(key(r), (scores.get(key(r)) ?? 0) + 1 / (RRF_K + i + 1)));
  add(text);
  add(near);
  return [...scores].map(([k, s]) => {
    const r = info.get(k)!;
    return { ...r, score: s * KIND_WEIGHTS[r.kind] };
  }).sort((a, b) => b.score - a.score || key(a).localeCompare(key(b)));
}

/** Title and kind of sections found only by vector. */
async function describe(sql: Sql, keys: Array<{ path: string; anchor: string }>) {
  if (!keys.length) return [];
  return await sql<Ranked[]>`
    select c.path, c.anchor, c.title, c.kind, 0::float8 as score
      from knowledge.chunk c
      join unnest(${keys.map((k) => k.path)}::text[], ${keys.map((k) => k.anchor)}::text[])
           as t(path, anchor) on t.path = c.path and t.anchor = c.anchor`;
}

/** Snippets of the final hits, highlighted with any word of `text`. */
async function withSnippets(sql: Sql, hits: Ranked[], text: string): Promise<Hit[]> {
  if (!hits.length) return [];
  const rows = await sql<{ path: string; anchor: string; snippet: string }[]>`
    select c.path, c.anchor, ts_headline('english', c.plain, q.query, ${HEADLINE}) as snippet
      from knowledge.chunk c
      join unnest(${hits.map((h) => h.path)}::text[], ${hits.map((h) => h.anchor)}::text[])
           as t(path, anchor) on t.path = c.path and t.anchor = c.anchor
     cross join (select ${tsquery(sql, text, "or")} as query) q`;
  const snippet = new Map(rows.map((r) => [`${r.path}#${r.anchor}`, r.snippet]));
  return hits.map((h) => ({
    path: h.path,
    anchor: h.anchor,
    title: h.title,
    snippet: snippet.get(`${h.path}#${h.anchor}`) ?? "",
    score: Number(h.score.toFixed(4)),
    kind: h.kind,
  }));
}

/** Searches the index; `embedder` (when configured) turns on the hybrid ranking. */
export async function search(
  sql: Sql,
  request: SearchRequest,
  embedder?: Embedder,
): Promise<SearchResult> {
  const query = request.query.trim();
  const kinds = request.kinds?.length ? [...request.kinds] : null;
  if (!query) return { query, searched: query, ...await searchBackend(sql, embedder), hits: [] };
  const { searched, ranked } = await textList(sql, query, kinds);
  const text = splitIdentifiers(searched);
  const ftsOnly = async (reason?: string): Promise<SearchResult> => ({
    query,
    searched,
    backend: "fts",
    ...reason && { reason },
    hits: await withSnippets(sql, ranked.slice(0, request.k), text),
  });
  const state = await searchBackend(sql, embedder);
  if (!embedder || state.backend === "fts") return await ftsOnly(state.reason);
  let vector: number[];
  try {
    [vector] = await embedder.embed([query]);
  } catch (e) {
    return await ftsOnly(`the embeddings endpoint failed: ${(e as Error).message}`);
  }
  const near = await nearest(sql, vector, embedder.model, kinds, POOL);
  const known = new Set(ranked.map((r) => `${r.path}#${r.anchor}`));
  const extra = await describe(sql, near.filter((n) => !known.has(`${n.path}#${n.anchor}`)));
  const fused = fuse(ranked, near, [...ranked, ...extra]).slice(0, request.k);
  return {
    query,
    searched,
    backend: "hybrid",
    hits: await withSnippets(sql, fused, text),
  };
}

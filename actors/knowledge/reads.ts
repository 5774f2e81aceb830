/**
 * Reading the index: one section in full (what an answer cites), the list of sections, and
 * the state of the index (files, sections, vectors, when it was last brought up to date).
 *
 * @module
 */
import type { Sql } from "../../kernel/db/types.ts";
import { NotFound } from "../../kernel/errors.ts";
import type { Kind } from "./corpus.ts";
import type { Embedder } from "./embedder.ts";
import { embeddedCount } from "./vectors.ts";

/** One section in full. */
export interface Section {
  path: string;
  anchor: string;
  title: string;
  /** The page's status line (if any), then the section's markdown, heading line included. */
  text: string;
  kind: Kind;
  indexedAt: Date;
}

/**
 * The section `anchor` of `path`, its text led by its page's status line when the page has
 * one (a reader must know a page describes work not yet built); NotFound when unknown.
 */
export async function getSection(sql: Sql, path: string, anchor: string): Promise<Section> {
  const [row] = await sql<Section[]>`
    select c.path, c.anchor, c.title, c.kind, d.indexed_at as "indexedAt",
           coalesce(d.status || E'\n\n', '') || c.body as text
      from knowledge.chunk c join knowledge.document d using (path)
     where c.path = ${path} and c.anchor = ${anchor}`;
  if (!row) throw new NotFound("Knowledge section", `${path}#${anchor}`);
  return row;
}

/** A section as listed. */
export interface SectionEntry {
  path: string;
  anchor: string;
  kind: Kind;
  title: string;
  /** The first 8 hex digits of the section's content hash. */
  hash: string;
}

/** Sections in path and position order, optionally of one kind. */
export async function listSections(
  sql: Sql,
  { limit, kind }: { limit: number; kind?: Kind },
): Promise<SectionEntry[]> {
  return await sql<SectionEntry[]>`
    select path, anchor, kind, title, left(content_hash, 8) as hash
      from knowledge.chunk
     where ${kind ?? null}::text is null or kind = ${kind ?? null}
     order by path, ord
     limit ${limit}`;
}

/** The state of the index. */
export interface IndexStatus {
  documents: number;
  sections: number;
  /** Sections with a current vector of the configured model (0 without one). */
  embedded: number;
  /** The last time a file was (re)indexed; null when the index is empty. */
  indexedAt: Date | null;
}

/** How much is indexed, and how much of it has vectors of `embedder`'s model. */
export async function indexStatus(sql: Sql, embedder?: Embedder): Promise<IndexStatus> {
  const [row] = await sql<{ documents: number; sections: number; indexedAt: Date | null }[]>`
    select (select count(*)::int from knowledge.document) as documents,
           (select count(*)::int from knowledge.chunk) as sections,
           (select max(indexed_at) from knowledge.document) as "indexedAt"`;
  return { ...row, embedded: embedder ? await embeddedCount(sql, embedder.model) : 0 };
}

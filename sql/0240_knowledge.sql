-- Knowledge (docs/handbook/knowledge.md): the handbook, the runbooks and the reference docs,
-- chunked by heading and indexed for the knowledge tools. A derived index: every row can be
-- rebuilt from the files by `bss admin knowledge reindex`.
--
-- Embeddings live in knowledge.embedding, created at run time (actors/knowledge/vectors.ts)
-- only where the pgvector extension exists, so this migration runs on any Postgres 15+.

-- Trigram similarity for misspelt query words; a trusted extension since Postgres 13.
create extension if not exists pg_trgm;

create schema if not exists knowledge;

-- One indexed file. size + mtime let a reindex skip a file without reading it; content_hash
-- (which folds in the chunker version) decides whether a read file changed.
create table knowledge.document (
  path text primary key,
  kind text not null,
  size bigint not null,
  mtime_ms double precision not null,
  content_hash text not null,
  -- The page's `> Status: …` line (null: none), shown with every section read.
  status text,
  chunk_count int not null,
  -- Wall-clock bookkeeping of the index, not a business time: the BSS clock is not used.
  indexed_at timestamptz not null default now()
);

-- One section of a file: a heading (levels 1-3) and its text up to the next such heading.
-- anchor is the heading's GitHub slug, unique within the file; heading is the section's own
-- heading, page the file's title (its level-1 heading), title the path of open headings
-- (`Runbook › Section`). The own heading weighs most (A), then the page's title (B: a
-- section of the runbook about a thing outranks a passing mention elsewhere), the text (C),
-- the split identifiers and the heading path (D).
-- plain is the markdown as text (what snippets show); terms splits identifiers (rule codes,
-- env variables, tool names) into words so either spelling finds them.
create table knowledge.chunk (
  path text not null references knowledge.document (path) on delete cascade,
  anchor text not null,
  ord int not null,
  kind text not null,
  heading text not null,
  page text not null,
  title text not null,
  body text not null,
  plain text not null,
  terms text not null,
  content_hash text not null,
  search tsvector generated always as (
    setweight(to_tsvector('english', heading), 'A')
      || setweight(to_tsvector('english', page), 'B')
      || setweight(to_tsvector('english', plain), 'C')
      || setweight(to_tsvector('english', terms || ' ' || title), 'D')
  ) stored,
  primary key (path, anchor)
);

create index chunk_search on knowledge.chunk using gin (search);

-- Every word of the corpus as written (lower-cased, unstemmed), with how many chunks hold it:
-- a misspelt query word is replaced by its nearest word here.
create table knowledge.term (
  word text primary key,
  chunks int not null
);

create index term_trgm on knowledge.term using gin (word gin_trgm_ops);

-- The span store: every finished span lands here, so traces work with no Jaeger.
-- Written in batches by kernel/telemetry/span_store.ts, read by kernel/telemetry/query.ts.

create schema if not exists telemetry;

create table telemetry.span (
  trace_id text not null,
  span_id text not null,
  parent_span_id text,
  name text not null,
  -- The span's `bss.service`, else its nearest in-process ancestor's, else the process's.
  service text not null,
  -- SERVER, CLIENT, PRODUCER, CONSUMER or INTERNAL.
  kind text not null,
  start_time timestamptz not null,
  duration_ms double precision not null,
  -- UNSET, OK or ERROR.
  status_code text not null,
  status_message text,
  attributes jsonb not null default '{}',
  primary key (trace_id, span_id)
);
create index span_start on telemetry.span (start_time);

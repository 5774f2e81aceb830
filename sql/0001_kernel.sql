-- Kernel: the BSS clock shared by every process, public ID sequences, the audit log.

create schema if not exists kernel;
create schema if not exists audit;

-- One row. wall mode: now() + offset; frozen mode: frozen_at + nothing.
create table kernel.clock (
  id boolean primary key default true check (id),
  offset_seconds double precision not null default 0,
  frozen_at timestamptz
);
insert into kernel.clock (id) values (true);

-- The BSS "now" as SQL sees it, so sweeps and timers compare against the same clock as code.
create function kernel.bss_now() returns timestamptz language sql stable as $$
  select coalesce(frozen_at, clock_timestamp() + make_interval(secs => offset_seconds))
  from kernel.clock
$$;

create table audit.domain_event (
  id bigserial primary key,
  event_id uuid not null unique,
  event_type text not null,
  aggregate_type text not null,
  aggregate_id text not null,
  occurred_at timestamptz not null,
  trace_id text,
  actor text not null,
  channel text not null,
  tenant_id text not null default 'DEFAULT',
  service_identity text not null default 'default',
  payload jsonb not null,
  schema_version int not null default 1,
  published_to_mq boolean not null default false,
  published_attempts int not null default 0,
  last_publish_error text
);
create index domain_event_aggregate on audit.domain_event (aggregate_type, aggregate_id, occurred_at);
create index domain_event_type on audit.domain_event (event_type, occurred_at);
create index domain_event_trace on audit.domain_event (trace_id);
create index domain_event_identity on audit.domain_event (service_identity, occurred_at);

-- Sequences behind the prefixed sequential ids (kernel/ids.ts). Sequences take no row lock,
-- so concurrent creates never queue behind each other; a rolled-back create leaves a gap.
create sequence kernel.id_ord;
create sequence kernel.id_oi;
create sequence kernel.id_so;
create sequence kernel.id_soi;
create sequence kernel.id_svc;
create sequence kernel.id_ptk;
create sequence kernel.id_sub;
create sequence kernel.id_pm;
create sequence kernel.id_pay;
create sequence kernel.id_ue;

-- Mediation: accepted usage events (docs/domain.md §1). Ids come from kernel.id_ue (UE-000001).
-- A rejected event writes no row here; its usage.rejected audit event is the record.

create schema if not exists mediation;

-- Append-only: `processed` stays false (rating is another service and writes only its own
-- schema; the outcome of rating is the usage.rated / usage.rejected event).
create table mediation.usage_event (
  id text primary key,
  msisdn text not null,
  subscription_id text,
  event_type text not null check (event_type in ('data', 'voice', 'voice_minutes', 'sms')),
  event_time timestamptz not null,
  quantity bigint not null check (quantity > 0),
  unit text not null check (unit in ('mb', 'minutes', 'count')),
  source text,
  raw_cdr_ref text,
  processed boolean not null default false,
  processing_error text,
  roaming_indicator boolean not null default false,
  tenant_id text not null default 'DEFAULT',
  created_at timestamptz not null default now()
);
create index usage_event_subscription on mediation.usage_event (subscription_id, event_time desc);
create index usage_event_msisdn on mediation.usage_event (msisdn, event_time desc);
create index usage_event_time on mediation.usage_event (event_time desc);

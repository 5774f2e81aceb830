-- The event bridge: outbox staged with each domain event, inbox dedup per consumer.

create schema if not exists bus;

-- Written in the same transaction as the audit row; the relay deletes what it delivered.
create table bus.outbox (
  id bigserial primary key,
  event_id uuid not null unique,
  event_type text not null,
  payload jsonb not null,
  -- W3C trace context current when the event was staged
  traceparent text,
  attempts int not null default 0,
  last_error text,
  staged_at timestamptz not null default clock_timestamp()
);

-- One row per (event, consumer) turned into a mailbox message: a redelivery is a no-op.
create table bus.inbox (
  event_id uuid not null,
  consumer text not null,
  processed_at timestamptz not null default now(),
  primary key (event_id, consumer)
);

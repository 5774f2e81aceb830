-- The actor runtime: mailboxes, replies for cross-process asks, dead letters, history.
-- Read actors/runtime/README.md for how these tables are drained.

create schema if not exists actor;

-- One row per known actor. Enqueue inserts it if absent (ON CONFLICT DO NOTHING takes no
-- lock on an existing row, so a busy actor never blocks its senders).
create table actor.actor (
  kind text not null,
  key text not null,
  created_at timestamptz not null default now(),
  primary key (kind, key)
);

-- The mailbox. Per actor, messages are handled in id order, one at a time across all
-- processes: a worker must hold the row lock of the actor's row in actor.actor
-- (FOR UPDATE SKIP LOCKED) to handle any of its messages.
create table actor.mailbox (
  id bigserial primary key,
  kind text not null,
  key text not null,
  type text not null,
  body jsonb not null,
  -- timer: not deliverable before this BSS-clock instant (null = now)
  deliver_at timestamptz,
  -- retry backoff, wall clock
  run_after timestamptz not null default now(),
  attempts int not null default 0,
  last_error text,
  -- ask: '<process id>:<correlation uuid>' of the waiting caller
  reply_to text,
  -- caller context: actor, channel, service identity, W3C traceparent
  context jsonb not null default '{}',
  enqueued_at timestamptz not null default clock_timestamp()
);
create index mailbox_actor on actor.mailbox (kind, key, id);
create index mailbox_ready on actor.mailbox (id) where deliver_at is null;
create index mailbox_timers on actor.mailbox (deliver_at) where deliver_at is not null;

-- Replies to asks whose caller lives in another process (NOTIFY bss_reply carries the id).
create table actor.reply (
  id text primary key,
  ok boolean not null,
  body jsonb,
  created_at timestamptz not null default now()
);

create table actor.dead_letter (
  id bigint primary key,
  kind text not null,
  key text not null,
  type text not null,
  body jsonb not null,
  attempts int not null,
  last_error text not null,
  reply_to text,
  context jsonb not null,
  enqueued_at timestamptz not null,
  died_at timestamptz not null default now()
);
create index dead_letter_actor on actor.dead_letter (kind, key);

-- Recent handled messages per actor, for inspection (pruned to the newest rows per actor).
create table actor.history (
  id bigserial primary key,
  message_id bigint not null,
  kind text not null,
  key text not null,
  type text not null,
  outcome text not null check (outcome in ('ok', 'rejected', 'retry', 'dead')),
  detail text,
  enqueued_at timestamptz not null,
  handled_at timestamptz not null default clock_timestamp()
);
create index history_actor on actor.history (kind, key, id desc);
create index history_time on actor.history (handled_at);

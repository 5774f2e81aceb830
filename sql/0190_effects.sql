-- Effects: work on another service that an actor's turn decides but must not wait for
-- (docs: README "The actor runtime in one page", effects). A turn inserts the row in its own
-- transaction; the effect runner claims it after commit under a lease, runs it with the row's
-- idempotency key, and in one transaction marks it done and posts the outcome to the actor's
-- mailbox. A runner that dies mid-effect leaves the lease to expire: the next claim runs the
-- same effect with the same key, which the callee answers with its first outcome.
create schema if not exists effect;

create table effect.effect (
  id bigserial primary key,
  -- the handler, e.g. subscription.activate
  type text not null,
  -- derived from the aggregate (activation:ORD-0007): staging it again is a no-op
  idempotency_key text not null unique,
  input jsonb not null,
  -- where the outcome goes: a message {type: reply_type, effectKey, outcome}
  reply_kind text not null,
  reply_key text not null,
  reply_type text not null,
  state text not null default 'pending' check (state in ('pending', 'done')),
  attempts int not null default 0,
  run_after timestamptz not null default now(),
  lease_until timestamptz,
  last_error text,
  outcome jsonb,
  -- caller attribution and trace context, carried to the outcome message
  context jsonb not null default '{}',
  created_at timestamptz not null default now(),
  done_at timestamptz
);
create index effect_due on effect.effect (run_after, id) where state = 'pending';

-- Idempotency keys of the money- and line-creating POSTs (order create, VAS purchase, plan
-- change, payment method add). The first request with a key claims the row under a lease and
-- stores its outcome; a repeat (concurrent or later) answers that outcome. A claimant that
-- died is taken over once its lease ran out, with the resource id it had already fixed.
create schema if not exists idempotency;

create table idempotency.request (
  tenant_id text not null,
  -- the operation, e.g. com.order.create
  scope text not null,
  key text not null,
  -- the request's parameters and body: a key reused for another request is refused
  fingerprint text not null,
  state text not null default 'running' check (state in ('running', 'done')),
  lease_until timestamptz not null,
  -- an id the operation fixed before acting (e.g. the order id), kept for a takeover
  resource_id text,
  -- {ok: true, value} or {ok: false, error: <wire error>}
  outcome jsonb,
  created_at timestamptz not null default now(),
  primary key (tenant_id, scope, key)
);

-- A charge a subscription turn decided (a renewal, a VAS purchase) and the effect runner makes
-- after the turn committed (docs: README "The actor runtime in one page"). The key is the
-- charge's idempotency key: a resumed effect repeats the same charge, and the outcome turn
-- applies it once. The HTTP answer of a manual renewal or a purchase waits for `state`.
create table subscription.charge_intent (
  idempotency_key text primary key,
  subscription_id text not null,
  purpose text not null check (purpose in ('renewal', 'vas')),
  -- what the outcome turn needs besides the charge (the boundary, the VAS asked for)
  request jsonb not null,
  state text not null default 'running' check (state in ('running', 'applied', 'refused')),
  -- the PolicyViolation that ended a refused charge {rule, message, context}
  refusal jsonb,
  created_at timestamptz not null default now(),
  settled_at timestamptz
);
create index charge_intent_running on subscription.charge_intent (subscription_id)
  where state = 'running';

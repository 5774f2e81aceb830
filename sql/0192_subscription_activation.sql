-- The activation saga of a subscription (docs: README "The actor runtime in one page"): the
-- subscription id is fixed before anything is charged or bound; the row records the request,
-- who to tell, and how it ended. The subscription row itself is written only on success.
create table subscription.activation (
  subscription_id text primary key,
  commercial_order_id text unique,
  request jsonb not null,
  -- the actor told of the outcome (the order), if any
  notify_kind text,
  notify_key text,
  state text not null default 'running' check (state in ('running', 'activated', 'refused')),
  -- the PolicyViolation that ended a refused activation {rule, message, context}
  refusal jsonb,
  created_at timestamptz not null default now(),
  settled_at timestamptz
);
create index activation_running on subscription.activation (created_at) where state = 'running';

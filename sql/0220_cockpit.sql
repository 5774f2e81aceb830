-- The cockpit's conversation store (docs/handbook, the cockpit page): sessions, their messages
-- and each session's one pending destructive action, staged by the agent and run only by
-- /confirm. Shared by the terminal REPL and the browser cockpit. Plus the customer chat's
-- usage per customer and month, which its monthly cost cap reads.

create schema if not exists cockpit;

create table cockpit.session (
  -- SES-YYYYMMDD-<8 hex>
  id text primary key,
  actor text not null,
  customer_focus text,
  allow_destructive boolean not null default false,
  state text not null default 'active' check (state in ('active', 'closed')),
  label text,
  -- Wall-clock bookkeeping of the conversation, not business time.
  started_at timestamptz not null default now(),
  last_active_at timestamptz not null default now(),
  tenant_id text not null default 'DEFAULT'
);
create index session_recent on cockpit.session (actor, last_active_at desc) where state = 'active';

create table cockpit.message (
  id bigserial primary key,
  session_id text not null references cockpit.session (id) on delete cascade,
  role text not null check (role in ('user', 'assistant', 'tool')),
  content text not null,
  -- assistant: [{name, args, call_id}]; tool: {"tool_name": …}
  tool_calls_json jsonb,
  created_at timestamptz not null default now(),
  tenant_id text not null default 'DEFAULT'
);
create index message_by_session on cockpit.message (session_id, id);

create table cockpit.pending_destructive (
  session_id text primary key references cockpit.session (id) on delete cascade,
  tool_name text not null,
  tool_args_json jsonb not null,
  proposal_message_id bigint references cockpit.message (id) on delete cascade,
  proposed_at timestamptz not null default now(),
  tenant_id text not null default 'DEFAULT'
);

-- Customer chat usage: requests and cost (cents, rounded up per turn) per customer and month.
create table cockpit.chat_usage (
  customer_id text not null,
  period_yyyymm text not null,
  requests_count int not null default 0,
  cost_cents int not null default 0,
  last_updated timestamptz not null default now(),
  primary key (customer_id, period_yyyymm)
);

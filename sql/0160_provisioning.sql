-- Provisioning simulator: tasks (one per `provisioning.task.created`), their state history,
-- and the fault-injection rules (reference data: they survive an operational reset).
-- Task ids come from kernel.id_ptk (PTK-0001); `seq` orders lists newest first even when the
-- BSS clock is frozen.

create schema if not exists provisioning;

create table provisioning.fault_injection (
  id text primary key,
  task_type text not null,
  fault_type text not null
    check (fault_type in ('fail_first_attempt', 'fail_always', 'stuck', 'slow')),
  probability numeric(3, 2) not null check (probability between 0 and 1),
  enabled boolean not null default false,
  tenant_id text not null default 'DEFAULT',
  created_at timestamptz not null default kernel.bss_now(),
  updated_at timestamptz not null default kernel.bss_now()
);
create index fault_injection_task_type on provisioning.fault_injection (task_type, id);

create table provisioning.provisioning_task (
  id text primary key,
  seq bigint generated always as identity,
  service_id text not null,
  -- carried from the created event so results reach the right service order and order
  service_order_id text not null,
  commercial_order_id text not null,
  task_type text not null,
  state text not null default 'pending'
    check (state in ('pending', 'running', 'completed', 'failed', 'stuck')),
  attempts smallint not null default 0,
  max_attempts smallint not null default 3,
  payload jsonb not null default '{}',
  last_error text,
  -- the fault rule that fired for the current run (rolled once per run), if any
  fault_id text,
  fault_type text,
  started_at timestamptz,
  completed_at timestamptz,
  tenant_id text not null default 'DEFAULT',
  created_at timestamptz not null default kernel.bss_now(),
  updated_at timestamptz not null default kernel.bss_now()
);
create index provisioning_task_service on provisioning.provisioning_task (service_id, seq);
create index provisioning_task_state on provisioning.provisioning_task (state, seq);

create table provisioning.task_state_history (
  id bigserial primary key,
  task_id text not null references provisioning.provisioning_task (id),
  from_state text,
  to_state text not null,
  attempts smallint not null,
  changed_by text not null,
  -- why: the attempt, the injected fault or error, or the operator's note
  reason text not null,
  event_time timestamptz not null,
  tenant_id text not null default 'DEFAULT'
);
create index task_state_history_task on provisioning.task_state_history (task_id, id);

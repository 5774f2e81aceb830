-- SOM: service orders (TMF641) and the service inventory (TMF638) they build: one CFS per
-- order with its RFS children. Ids come from kernel.id_so, kernel.id_soi, kernel.id_svc.

create schema if not exists service_inventory;

create table service_inventory.service_order (
  id text primary key,
  commercial_order_id text not null,
  state text not null default 'acknowledged'
    check (state in ('acknowledged', 'in_progress', 'completed', 'failed', 'cancelled')),
  started_at timestamptz,
  completed_at timestamptz,
  -- why it failed or was cancelled
  state_reason text,
  tenant_id text not null default 'DEFAULT',
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
-- One service order per commercial order: a redelivered order.in_progress finds it.
create unique index service_order_commercial on service_inventory.service_order
  (commercial_order_id);

create table service_inventory.service_order_item (
  id text primary key,
  service_order_id text not null references service_inventory.service_order (id),
  action text not null default 'add' check (action in ('add', 'modify', 'delete')),
  service_spec_id text not null,
  target_service_id text,
  tenant_id text not null default 'DEFAULT',
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index service_order_item_order on service_inventory.service_order_item (service_order_id);

create table service_inventory.service (
  id text primary key,
  service_order_id text not null references service_inventory.service_order (id),
  subscription_id text,
  spec_id text not null,
  type text not null check (type in ('CFS', 'RFS')),
  parent_service_id text references service_inventory.service (id),
  state text not null default 'feasibility_checked' check (state in
    ('feasibility_checked', 'designed', 'reserved', 'activated', 'failed', 'terminated')),
  characteristics jsonb not null default '{}',
  activated_at timestamptz,
  terminated_at timestamptz,
  tenant_id text not null default 'DEFAULT',
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index service_order_services on service_inventory.service (service_order_id);
create index service_subscription on service_inventory.service (subscription_id)
  where subscription_id is not null;
create index service_parent on service_inventory.service (parent_service_id);

create table service_inventory.service_state_history (
  id bigserial primary key,
  service_id text not null references service_inventory.service (id),
  from_state text,
  to_state text not null,
  changed_by text not null,
  reason text,
  event_time timestamptz not null,
  tenant_id text not null default 'DEFAULT'
);
create index service_state_history_service on service_inventory.service_state_history
  (service_id, id);

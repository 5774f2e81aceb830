-- COM: commercial (product) orders, one item each, with their state history.
-- Ids come from kernel.id_ord (ORD-0001) and kernel.id_oi (OI-0001).

create schema if not exists order_mgmt;

create table order_mgmt.product_order (
  id text primary key,
  customer_id text not null,
  state text not null default 'acknowledged'
    check (state in ('acknowledged', 'in_progress', 'completed', 'failed', 'cancelled')),
  order_date timestamptz not null,
  requested_completion_date timestamptz,
  completed_date timestamptz,
  msisdn_preference text,
  notes text,
  -- the customer's newest active card at submit: the one activation charges
  payment_method_id text,
  -- set once by the stuck-order sweeper: one order.stuck per order
  stuck_flagged_at timestamptz,
  tenant_id text not null default 'DEFAULT',
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index product_order_customer on order_mgmt.product_order (customer_id, order_date);
create index product_order_in_progress on order_mgmt.product_order (order_date)
  where state = 'in_progress' and stuck_flagged_at is null;

-- The price snapshot taken at order time rides the order to the subscription.
create table order_mgmt.order_item (
  id text primary key,
  order_id text not null references order_mgmt.product_order (id),
  action text not null default 'add' check (action in ('add', 'modify', 'delete')),
  offering_id text not null,
  state text not null default 'acknowledged'
    check (state in ('acknowledged', 'completed', 'failed', 'cancelled')),
  target_subscription_id text,
  price_amount numeric(10, 2),
  price_currency text default 'SGD',
  price_offering_price_id text,
  discount_code text,
  promo_offer_definition_id text,
  discount_type text,
  discount_value numeric(12, 2),
  discount_periods_total smallint,
  promo_offer_id text,
  tenant_id text not null default 'DEFAULT',
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create unique index order_item_one_per_order on order_mgmt.order_item (order_id);

create table order_mgmt.order_state_history (
  id bigserial primary key,
  order_id text not null references order_mgmt.product_order (id),
  from_state text,
  to_state text not null,
  changed_by text not null,
  reason text,
  event_time timestamptz not null,
  tenant_id text not null default 'DEFAULT'
);
create index order_state_history_order on order_mgmt.order_state_history (order_id, id);

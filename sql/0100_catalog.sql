-- Catalog (docs/domain.md §1 "catalog"): product specifications, offerings with their prices and
-- bundle allowances, VAS, the service specifications and product→service mapping SOM
-- decomposes by, and promotions with their targeted eligibility.

create schema if not exists catalog;

-- The one window predicate (docs/domain.md §6.1): active at t when it has started and not yet ended
-- (valid_to is exclusive). actors/catalog/pricing.ts states the same rule in TypeScript.
create function catalog.active_at(valid_from timestamptz, valid_to timestamptz, t timestamptz)
returns boolean language sql immutable as $$
  select (valid_from is null or valid_from <= t) and (valid_to is null or valid_to > t)
$$;

create table catalog.product_specification (
  id text primary key,
  name text,
  description text,
  brand text,
  lifecycle_status text,
  tenant_id text not null default 'DEFAULT',
  created_at timestamptz not null default kernel.bss_now(),
  updated_at timestamptz not null default kernel.bss_now()
);

create table catalog.product_offering (
  id text primary key,
  name text,
  spec_id text references catalog.product_specification (id),
  is_bundle boolean not null default true,
  is_sellable boolean,
  lifecycle_status text,
  valid_from timestamptz,
  valid_to timestamptz,
  tenant_id text not null default 'DEFAULT',
  created_at timestamptz not null default kernel.bss_now(),
  updated_at timestamptz not null default kernel.bss_now(),
  constraint product_offering_window check (valid_to > valid_from)
);

create table catalog.product_offering_price (
  id text primary key,
  offering_id text not null references catalog.product_offering (id),
  price_type text not null check (price_type in ('recurring', 'one_time')),
  recurring_period_length smallint,
  recurring_period_type text check (recurring_period_type = 'month'),
  amount numeric(12, 2) not null check (amount >= 0),
  currency text not null default 'SGD',
  valid_from timestamptz,
  valid_to timestamptz,
  tenant_id text not null default 'DEFAULT',
  created_at timestamptz not null default kernel.bss_now(),
  updated_at timestamptz not null default kernel.bss_now(),
  -- Equal bounds: a price retired before it started (admin "retire current"), never active.
  constraint product_offering_price_window check (valid_to >= valid_from)
);
create index product_offering_price_offering on catalog.product_offering_price (offering_id);

create table catalog.bundle_allowance (
  id text primary key,
  offering_id text not null references catalog.product_offering (id),
  allowance_type text not null check (allowance_type in ('data', 'voice', 'sms', 'data_roaming')),
  quantity bigint not null check (quantity >= -1),
  unit text not null check (unit in ('mb', 'minutes', 'count')),
  tenant_id text not null default 'DEFAULT',
  created_at timestamptz not null default kernel.bss_now(),
  updated_at timestamptz not null default kernel.bss_now()
);
create index bundle_allowance_offering on catalog.bundle_allowance (offering_id);

create table catalog.vas_offering (
  id text primary key,
  name text,
  price_amount numeric(12, 2) not null check (price_amount >= 0),
  currency text not null default 'SGD',
  allowance_type text,
  allowance_quantity bigint,
  allowance_unit text,
  expiry_hours smallint,
  tenant_id text not null default 'DEFAULT',
  created_at timestamptz not null default kernel.bss_now(),
  updated_at timestamptz not null default kernel.bss_now()
);

create table catalog.service_specification (
  id text primary key,
  name text,
  type text check (type in ('CFS', 'RFS')),
  parameters jsonb,
  tenant_id text not null default 'DEFAULT',
  created_at timestamptz not null default kernel.bss_now(),
  updated_at timestamptz not null default kernel.bss_now()
);

-- One mapping per offering: decomposition builds one CFS per order line, and the unique key
-- is what makes the seed insert-if-absent.
create table catalog.product_to_service_mapping (
  id bigserial primary key,
  offering_id text not null references catalog.product_offering (id),
  cfs_spec_id text not null references catalog.service_specification (id),
  rfs_spec_ids text[] not null,
  tenant_id text not null default 'DEFAULT',
  created_at timestamptz not null default kernel.bss_now(),
  updated_at timestamptz not null default kernel.bss_now(),
  unique (offering_id, tenant_id)
);

create table catalog.promotion (
  id text primary key,
  name text,
  code text,
  audience text not null default 'public' check (audience in ('public', 'targeted')),
  offer_definition_id text,
  discount_type text not null check (discount_type in ('percent', 'absolute')),
  discount_value numeric(12, 2) not null,
  currency text not null default 'SGD',
  applicable_offering_ids text[],
  duration_kind text not null check (duration_kind in ('single', 'multi', 'perpetual')),
  periods_total smallint,
  valid_from timestamptz,
  valid_to timestamptz,
  state text not null check (state in ('pending_link', 'active', 'retired', 'exhausted')),
  created_by text not null,
  tenant_id text not null default 'DEFAULT',
  created_at timestamptz not null default kernel.bss_now(),
  updated_at timestamptz not null default kernel.bss_now(),
  check ((duration_kind = 'multi') = (periods_total is not null))
);
create unique index uq_promotion_code on catalog.promotion (code, tenant_id) where code is not null;
create index promotion_offer_definition on catalog.promotion (offer_definition_id);

create table catalog.promotion_eligibility (
  id bigserial primary key,
  promotion_id text not null references catalog.promotion (id),
  customer_id text not null,
  loyalty_offer_id text,
  created_by text not null,
  tenant_id text not null default 'DEFAULT',
  created_at timestamptz not null default kernel.bss_now(),
  unique (promotion_id, customer_id, tenant_id)
);
create index promotion_eligibility_customer on catalog.promotion_eligibility (customer_id, tenant_id);

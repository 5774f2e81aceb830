-- Subscription: a customer's line with its plan, price snapshot, period and bundle balances.
-- Each subscription is an actor (kind `subscription`): every write to its rows is one turn.
-- Ids come from kernel.id_sub (SUB-0001).

create schema if not exists subscription;

create table subscription.subscription (
  id text primary key,
  customer_id text not null,
  offering_id text not null,
  commercial_order_id text,
  msisdn text not null,
  iccid text not null,
  cfs_service_id text,
  state text not null default 'pending'
    check (state in ('pending', 'active', 'blocked', 'terminated')),
  state_reason text,
  activated_at timestamptz,
  current_period_start timestamptz,
  current_period_end timestamptz,
  next_renewal_at timestamptz,
  terminated_at timestamptz,
  -- the boundary (next_renewal_at) the last automatic attempt was made for: one per period
  last_renewal_attempted_at timestamptz,
  renewal_reminder_sent_at timestamptz,
  payment_method_id text,
  price_amount numeric(10, 2) not null,
  price_currency text not null default 'SGD',
  price_offering_price_id text not null,
  pending_offering_id text,
  pending_offering_price_id text,
  pending_effective_at timestamptz,
  discount_type text,
  discount_value numeric(12, 2),
  discount_periods_remaining smallint not null default 0,
  promo_code text,
  promo_offer_definition_id text,
  -- the eSIM's LPA activation code (also the QR payload)
  activation_code text,
  -- VAS_UNLIMITED_DAY: data is unmetered until then
  unlimited_data_until timestamptz,
  tenant_id text not null default 'DEFAULT',
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create unique index uq_subscription_msisdn on subscription.subscription (msisdn)
  where state <> 'terminated';
create unique index uq_subscription_iccid on subscription.subscription (iccid)
  where state <> 'terminated';
create unique index uq_subscription_commercial_order on subscription.subscription
  (commercial_order_id) where commercial_order_id is not null;
create index ix_subscription_customer on subscription.subscription (customer_id, id);
create index ix_subscription_due_for_renewal on subscription.subscription
  (state, next_renewal_at) where state in ('active', 'blocked');

create table subscription.bundle_balance (
  id text primary key,
  subscription_id text not null references subscription.subscription (id),
  allowance_type text not null
    check (allowance_type in ('data', 'voice', 'sms', 'data_roaming')),
  total bigint not null,
  consumed bigint not null default 0,
  remaining bigint generated always as (total - consumed) stored,
  unit text not null,
  period_start timestamptz,
  period_end timestamptz,
  tenant_id text not null default 'DEFAULT',
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (subscription_id, allowance_type)
);

create table subscription.vas_purchase (
  id text primary key,
  subscription_id text not null references subscription.subscription (id),
  vas_offering_id text not null,
  payment_attempt_id text,
  applied_at timestamptz not null,
  expires_at timestamptz,
  allowance_added bigint not null,
  allowance_type text not null,
  tenant_id text not null default 'DEFAULT',
  created_at timestamptz not null default now()
);
create index ix_vas_purchase_subscription on subscription.vas_purchase (subscription_id);

create table subscription.subscription_state_history (
  id bigserial primary key,
  subscription_id text not null references subscription.subscription (id),
  from_state text,
  to_state text not null,
  changed_by text not null default 'system',
  reason text,
  event_time timestamptz not null,
  tenant_id text not null default 'DEFAULT'
);
create index ix_subscription_history on subscription.subscription_state_history
  (subscription_id, id);

-- usage.rated events already applied: a redelivery decrements nothing.
create table subscription.applied_usage (
  usage_event_id text primary key,
  subscription_id text not null,
  allowance_type text not null,
  quantity bigint not null,
  applied_at timestamptz not null
);

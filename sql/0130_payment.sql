-- Payment: cards on file (tokens only, never card numbers) and charge attempts.
-- Ids come from kernel.id_pm (PM-0001) and kernel.id_pay (PAY-000001).

create schema if not exists payment;

create table payment.payment_method (
  id text primary key,
  customer_id text not null,
  type text not null default 'card' check (type = 'card'),
  -- the provider's token (mock: tok_<uuid4>); the card number never gets here
  token text not null unique,
  token_provider text not null default 'mock' check (token_provider in ('mock', 'stripe')),
  last4 text not null check (last4 ~ '^[0-9]{4}$'),
  brand text,
  exp_month smallint not null check (exp_month between 1 and 12),
  exp_year smallint not null,
  is_default boolean not null default false,
  status text not null default 'active' check (status in ('active', 'removed', 'expired')),
  tenant_id text not null default 'DEFAULT',
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index payment_method_customer on payment.payment_method (customer_id, created_at);
-- One default per customer: the service keeps it, this index makes a slip an error.
create unique index payment_method_one_default on payment.payment_method (customer_id)
  where is_default and status = 'active';

-- Inserted once, with the gateway's final answer (pending is only the column default).
-- A zero amount approves without a gateway call: gateway_ref and provider_call_id stay null.
create table payment.payment_attempt (
  id text primary key,
  customer_id text not null,
  payment_method_id text not null references payment.payment_method (id),
  amount numeric(12, 2) not null,
  currency text not null default 'SGD',
  purpose text not null check (purpose in ('activation', 'renewal', 'vas')),
  status text not null default 'pending'
    check (status in ('pending', 'approved', 'declined', 'errored')),
  gateway_ref text,
  decline_reason text,
  provider_call_id text,
  decline_code text,
  -- the caller's key for one business operation: a replay returns this row
  idempotency_key text,
  attempted_at timestamptz not null,
  tenant_id text not null default 'DEFAULT'
);
create index payment_attempt_customer on payment.payment_attempt (customer_id, attempted_at);
create unique index payment_attempt_idempotency on payment.payment_attempt
  (tenant_id, idempotency_key) where idempotency_key is not null;

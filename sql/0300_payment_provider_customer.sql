-- The Stripe gateway (docs/providers.md §3.4): the provider's customer for each BSS customer,
-- made on the customer's first card and kept. Cards are charged off session against it.
create table payment.provider_customer (
  provider text not null,
  customer_id text not null,
  external_ref text not null,
  created_at timestamptz not null default now(),
  primary key (provider, customer_id)
);

-- Stripe's webhook (docs/providers.md §3.4): each event received, once per event id (a
-- redelivery finds its row and is answered as a duplicate), stored redacted, with what it came
-- to. Events find their charge attempt by the provider call (the PaymentIntent).
create table payment.webhook_event (
  provider text not null,
  event_id text not null,
  type text not null,
  outcome text not null check (outcome in ('reconciled', 'drift', 'noop')),
  payment_id text,
  payload jsonb not null,
  received_at timestamptz not null default now(),
  primary key (provider, event_id)
);
create index payment_attempt_provider_call on payment.payment_attempt (provider_call_id)
  where provider_call_id is not null;

-- The event bridge: where the brokerless path parks poison events, and the outbox wake-up.

-- An event a binding could not turn into a mailbox message (its `to` threw). Kept for
-- inspection, never dropped; with a broker the same event parks in the queue `<queue>.parked`.
create table bus.parked (
  event_id uuid not null,
  queue text not null,
  event_type text not null,
  payload jsonb not null,
  reason text not null,
  parked_at timestamptz not null default now(),
  primary key (event_id, queue)
);

-- Wakes the relays (LISTEN bss_outbox) when events are staged. Per statement, not per row:
-- writeEvents stages a whole batch in one insert, and the relay drains the batch in one pass.
create function bus.wake_relay() returns trigger language plpgsql as $$
begin
  perform pg_notify('bss_outbox', '');
  return null;
end $$;

create trigger outbox_wake_relay after insert on bus.outbox
  for each statement execute function bus.wake_relay();

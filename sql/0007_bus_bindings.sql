-- The event consumers that exist, whichever process runs them. A process registers the
-- bindings of its roles at start; a brokerless relay in any process delivers each event to
-- every registered binding that matches it, so where a role runs does not decide what it
-- hears (with a broker, the durable queues play this part). A registration stays, as a
-- durable queue does: events keep arriving for a role that is down and wait in its mailbox.
create table bus.binding (
  queue text primary key,
  pattern text not null,
  registered_at timestamptz not null default now()
);

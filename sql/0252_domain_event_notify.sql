-- Wakes whoever follows the event log (the portal's live feed) as soon as events are
-- committed, instead of polling: one NOTIFY per inserting statement, delivered at commit
-- (and folded into one per transaction by Postgres). Listeners still re-read the log: the
-- notification carries nothing.

create function audit.notify_domain_event() returns trigger
language plpgsql as $$
begin
  perform pg_notify('bss_domain_event', '');
  return null;
end
$$;

create trigger domain_event_notify after insert on audit.domain_event
  for each statement execute function audit.notify_domain_event();

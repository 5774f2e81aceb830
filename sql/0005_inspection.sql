-- Inspection: an operator's retry or discard of a dead letter is part of the message's
-- history, next to the drain's own outcomes.

alter table actor.history drop constraint history_outcome_check;
alter table actor.history add constraint history_outcome_check
  check (outcome in ('ok', 'rejected', 'retry', 'dead', 'requeued', 'discarded'));

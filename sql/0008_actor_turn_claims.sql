-- Turns under way, recorded before their handlers run and outside their transaction, so
-- that a turn whose process dies (or whose transaction fails) still counts as an attempt.
-- A drain batch inserts one row (its transaction id and the ids of the messages it may
-- handle) and deletes it when it commits. A row whose transaction is no longer in progress
-- is an unfinished turn: the next batch counts one attempt on each of its messages still
-- in the mailbox, and a message that has used up its attempts is dead-lettered without
-- running again. So a handler that kills its process is not retried without bound.
create table actor.turn_claim (
  xid xid8 primary key,
  ids bigint[] not null,
  claimed_at timestamptz not null default now()
);

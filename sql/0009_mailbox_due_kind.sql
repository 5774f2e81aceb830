-- The drain loops of a process sleep until woken; one tick per process asks which hosted
-- kinds have deliverable mail (actor/runtime `dueKinds`). This index answers "does kind K
-- have a ready message" with one probe, however many future timers K holds.
create index mailbox_due_kind on actor.mailbox (kind, run_after) where deliver_at is null;

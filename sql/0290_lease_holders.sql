-- The process holding a lease (its connections' application_name, see kernel/db/holder.ts): a
-- lease whose holder has no connection left is taken over at once instead of when it runs out.
alter table effect.effect add column holder text;
alter table idempotency.request add column holder text;

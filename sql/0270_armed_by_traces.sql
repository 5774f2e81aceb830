-- The trace that armed later background work on a row (W3C traceparent, null before this
-- migration): a sweep or tick acting on the row starts a trace of its own with a span link to
-- it (README, issue 9 in "Status"), so its spans never pile into the placement's trace.
alter table order_mgmt.product_order add column placed_traceparent text;
alter table subscription.subscription add column activated_traceparent text;
alter table inventory.msisdn_pool add column reserved_traceparent text;

-- The numbers a reservation may take, in pick order. The pick ("available, or out of
-- quarantine, lowest first") and the low-watermark count read only these rows, so their cost
-- does not grow with the numbers already handed out, and the pick needs no sort whatever the
-- table's statistics say (a plan made on a fresh database, before any ANALYZE, sorted the
-- whole tenant's pool at every reservation).
create index msisdn_pool_free on inventory.msisdn_pool (tenant_id, msisdn)
  where status in ('available', 'quarantine');

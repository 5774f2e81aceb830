-- A line reservation names its holder (the commercial order): reserving again for the same
-- holder answers the line it already holds (a retried turn never reserves a second line), and
-- the abandoned-reservation sweeper asks whether the holder still wants it.
alter table inventory.msisdn_pool add column reserved_for text;
create index msisdn_pool_reserved_for on inventory.msisdn_pool (reserved_for)
  where status = 'reserved';
create index msisdn_pool_reserved_at on inventory.msisdn_pool (reserved_at)
  where status = 'reserved';

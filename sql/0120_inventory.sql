-- Inventory (owned by CRM): the MSISDN pool and the eSIM profile stock (docs/domain.md §1, §3).

create schema if not exists inventory;

-- status 'quarantine' lasts until quarantine_until; after that instant the number counts as
-- available (inventory.msisdn_status_at) without any sweep having to touch it.
create table inventory.msisdn_pool (
  msisdn text primary key check (msisdn ~ '^[0-9]{4,15}$'),
  status text not null default 'available'
    check (status in ('available', 'reserved', 'assigned', 'quarantine', 'ported_out')),
  reserved_at timestamptz,
  assigned_to_subscription_id text,
  quarantine_until timestamptz,
  tenant_id text not null default 'DEFAULT',
  created_at timestamptz not null default kernel.bss_now(),
  updated_at timestamptz not null default kernel.bss_now(),
  check (status <> 'quarantine' or quarantine_until is not null)
);
create index msisdn_pool_pick on inventory.msisdn_pool (tenant_id, status, msisdn);

-- The status a number has at instant `at`: an expired quarantine reads as available.
create function inventory.msisdn_status_at(status text, quarantine_until timestamptz,
  at timestamptz) returns text language sql immutable as $$
  select case when status = 'quarantine' and quarantine_until <= at then 'available'
    else status end
$$;

-- ki_ref points into the HSM; key material never lives here.
create table inventory.esim_profile (
  iccid text primary key check (iccid ~ '^[0-9]{18,22}$'),
  imsi text not null unique,
  ki_ref text not null check (ki_ref like 'hsm://%'),
  profile_state text not null default 'available'
    check (profile_state in
      ('available', 'reserved', 'downloaded', 'activated', 'suspended', 'recycled')),
  smdp_server text,
  matching_id text unique,
  activation_code text,
  assigned_msisdn text references inventory.msisdn_pool (msisdn),
  assigned_to_subscription_id text,
  reserved_at timestamptz,
  downloaded_at timestamptz,
  activated_at timestamptz,
  tenant_id text not null default 'DEFAULT',
  created_at timestamptz not null default kernel.bss_now(),
  updated_at timestamptz not null default kernel.bss_now()
);
create index esim_profile_pick on inventory.esim_profile (tenant_id, profile_state, iccid);
-- A number belongs to at most one live profile (the policy checks first; this is the backstop).
create unique index esim_profile_live_msisdn on inventory.esim_profile (assigned_msisdn)
  where profile_state not in ('available', 'recycled');

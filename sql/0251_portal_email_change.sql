-- A portal email change waiting for its code: sent to the NEW address, stored as an
-- HMAC-SHA256 digest, at most one pending per identity (a new start cancels the old one).
-- The change applies only when the code is verified. Times are the BSS clock.

create table portal_auth.email_change_pending (
  id text primary key,
  identity_id text not null references portal_auth.identity (id),
  new_email text not null,
  code_hash text not null,
  status text not null default 'pending'
    check (status in ('pending', 'consumed', 'cancelled', 'expired')),
  wrong_attempts int not null default 0,
  created_at timestamptz not null default kernel.bss_now(),
  expires_at timestamptz not null,
  resolved_at timestamptz,
  tenant_id text not null default 'DEFAULT'
);
create unique index email_change_one_pending on portal_auth.email_change_pending (identity_id)
  where status = 'pending';

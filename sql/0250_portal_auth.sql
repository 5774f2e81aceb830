-- The self-serve portal's sign-in state (docs: README "The self-serve portal"): identities
-- (an email, later linked to a CRM customer), one-time codes and links stored only as
-- HMAC-SHA256 digests, sessions, the append-only attempt log the rate limits count, the
-- step-up stash, and one audit row per self-serve write. Times are the BSS clock.

create schema if not exists portal_auth;

create table portal_auth.identity (
  id text primary key,
  email text not null,
  customer_id text,
  email_verified_at timestamptz,
  status text not null default 'unverified'
    check (status in ('unverified', 'verified', 'registered', 'deleted')),
  tenant_id text not null default 'DEFAULT',
  created_at timestamptz not null default kernel.bss_now(),
  last_login_at timestamptz
);
create unique index identity_email on portal_auth.identity (tenant_id, email)
  where status <> 'deleted';
create index identity_customer on portal_auth.identity (customer_id);

-- A sign-in code and its magic link share `issue_id`: using either consumes both.
create table portal_auth.login_token (
  id text primary key,
  identity_id text not null references portal_auth.identity (id),
  issue_id text not null,
  kind text not null check (kind in ('otp', 'magic_link', 'step_up', 'step_up_grant')),
  code_hash text not null,
  action_label text,
  session_id text,
  wrong_attempts int not null default 0,
  issued_at timestamptz not null default kernel.bss_now(),
  expires_at timestamptz not null,
  consumed_at timestamptz,
  ip text,
  user_agent text,
  tenant_id text not null default 'DEFAULT'
);
create index login_token_identity on portal_auth.login_token (identity_id, kind, issued_at);

create table portal_auth.session (
  id text primary key,
  identity_id text not null references portal_auth.identity (id),
  issued_at timestamptz not null default kernel.bss_now(),
  expires_at timestamptz not null,
  last_seen_at timestamptz not null default kernel.bss_now(),
  ip text,
  user_agent text,
  revoked_at timestamptz,
  -- The per-session secret every POST form carries (CSRF, beside SameSite).
  csrf_token text not null,
  tenant_id text not null default 'DEFAULT'
);
create index session_identity on portal_auth.session (identity_id);

create table portal_auth.login_attempt (
  id bigint generated always as identity primary key,
  email text,
  ip text,
  ts timestamptz not null default kernel.bss_now(),
  outcome text not null,
  stage text not null,
  tenant_id text not null default 'DEFAULT'
);
create index login_attempt_email on portal_auth.login_attempt (stage, email, ts);
create index login_attempt_ip on portal_auth.login_attempt (stage, ip, ts);

-- The form a step-up interrupted, replayed once the code is verified. Keyed by identity
-- (not session) so it survives session rotation; only allowlisted fields are kept.
create table portal_auth.step_up_pending_action (
  id text primary key,
  identity_id text not null references portal_auth.identity (id),
  action_label text not null,
  target_url text not null,
  payload_json jsonb not null,
  created_at timestamptz not null default kernel.bss_now(),
  expires_at timestamptz not null,
  consumed_at timestamptz,
  tenant_id text not null default 'DEFAULT'
);
create unique index step_up_pending_open on portal_auth.step_up_pending_action
  (identity_id, action_label) where consumed_at is null;

create table portal_auth.portal_action (
  id bigint generated always as identity primary key,
  ts timestamptz not null default kernel.bss_now(),
  customer_id text,
  identity_id text,
  action text not null,
  route text not null,
  method text not null,
  success boolean not null,
  error_rule text,
  step_up_consumed boolean not null default false,
  ip text,
  user_agent text,
  tenant_id text not null default 'DEFAULT'
);
create index portal_action_customer on portal_auth.portal_action (customer_id, ts);

-- CRM (docs/domain.md §1 "crm", docs/decisions.md "Domain"): parties and customers with their contact
-- media and KYC identity, agents, interactions, cases with notes, trouble tickets with their
-- state history and SLA policy, number-port requests and chat transcripts.
-- `seq` columns give lists a stable newest-first order when the BSS clock is frozen.

create schema if not exists crm;

create table crm.party (
  id text primary key,
  party_type text not null default 'individual'
    check (party_type in ('individual', 'organization')),
  tenant_id text not null default 'DEFAULT',
  created_at timestamptz not null default kernel.bss_now(),
  updated_at timestamptz not null default kernel.bss_now()
);

create table crm.individual (
  party_id text primary key references crm.party (id),
  given_name text not null,
  family_name text not null,
  date_of_birth date,
  tenant_id text not null default 'DEFAULT',
  created_at timestamptz not null default kernel.bss_now(),
  updated_at timestamptz not null default kernel.bss_now()
);

create table crm.contact_medium (
  id text primary key,
  seq bigint generated always as identity,
  party_id text not null references crm.party (id),
  medium_type text not null check (medium_type in ('email', 'mobile', 'postal')),
  value text not null,
  is_primary boolean not null default false,
  valid_from timestamptz,
  valid_to timestamptz,
  tenant_id text not null default 'DEFAULT',
  created_at timestamptz not null default kernel.bss_now(),
  updated_at timestamptz not null default kernel.bss_now()
);
create index contact_medium_party on crm.contact_medium (party_id, seq);
-- A live email address belongs to one party (the policy checks first; this is the backstop).
create unique index uq_contact_medium_email_active on crm.contact_medium (medium_type, value)
  where valid_to is null and medium_type = 'email';

create table crm.customer (
  id text primary key,
  party_id text not null references crm.party (id),
  status text not null default 'pending'
    check (status in ('pending', 'active', 'suspended', 'closed')),
  status_reason text,
  customer_since timestamptz,
  kyc_status text not null default 'not_verified'
    check (kyc_status in ('not_verified', 'pending', 'verified', 'rejected', 'expired')),
  kyc_verified_at timestamptz,
  kyc_verification_method text,
  kyc_reference text,
  kyc_expires_at timestamptz,
  tenant_id text not null default 'DEFAULT',
  created_at timestamptz not null default kernel.bss_now(),
  updated_at timestamptz not null default kernel.bss_now()
);
create index customer_status on crm.customer (status, id);

-- Plain document numbers are never stored: only the SHA-256 of the normalised number (salted
-- with country and provider) and its last four characters. corroboration_id names a row of
-- the integrations schema, by value (no foreign key crosses a schema).
create table crm.customer_identity (
  customer_id text primary key references crm.customer (id),
  document_type text not null
    check (document_type in ('nric', 'passport', 'fin', 'driving_license')),
  document_number_hash text not null check (document_number_hash ~ '^[0-9a-f]{64}$'),
  document_number_last4 varchar(4),
  document_country text not null check (document_country ~ '^[A-Z]{2}$'),
  date_of_birth date not null,
  nationality text,
  verified_by text,
  attestation_payload jsonb,
  verified_at timestamptz not null,
  corroboration_id uuid,
  tenant_id text not null default 'DEFAULT',
  created_at timestamptz not null default kernel.bss_now(),
  updated_at timestamptz not null default kernel.bss_now(),
  constraint uq_customer_identity_doc unique (document_type, document_number_hash, tenant_id)
);

create table crm.agent (
  id text primary key,
  name text not null,
  email text unique,
  role text check (role in ('csr', 'supervisor', 'engineer', 'system')),
  status text not null default 'active' check (status in ('active', 'terminated')),
  tenant_id text not null default 'DEFAULT',
  created_at timestamptz not null default kernel.bss_now(),
  updated_at timestamptz not null default kernel.bss_now()
);

create table crm.case (
  id text primary key,
  seq bigint generated always as identity,
  customer_id text not null references crm.customer (id),
  subject text not null,
  description text,
  state text not null default 'open'
    check (state in ('open', 'in_progress', 'pending_customer', 'resolved', 'closed')),
  priority text not null default 'medium' check (priority in ('low', 'medium', 'high', 'critical')),
  category text not null default 'information'
    check (category in ('technical', 'billing', 'account', 'information')),
  -- What a chat escalation was about, beside the case category it maps to.
  escalation_category text check (escalation_category in
    ('fraud', 'billing_dispute', 'regulator_complaint', 'identity_recovery', 'bereavement',
     'other')),
  resolution_code text,
  opened_by_agent_id text references crm.agent (id),
  opened_at timestamptz not null,
  closed_at timestamptz,
  -- Soft pointer to crm.chat_transcript (a case may be opened before the transcript is stored).
  chat_transcript_hash text,
  tenant_id text not null default 'DEFAULT',
  created_at timestamptz not null default kernel.bss_now(),
  updated_at timestamptz not null default kernel.bss_now()
);
create index case_customer on crm.case (customer_id, seq);
create index case_state on crm.case (state, seq);

create table crm.case_note (
  id text primary key,
  seq bigint generated always as identity,
  case_id text not null references crm.case (id),
  author_agent_id text references crm.agent (id),
  body text not null,
  created_at timestamptz not null,
  tenant_id text not null default 'DEFAULT'
);
create index case_note_case on crm.case_note (case_id, seq);

create table crm.ticket (
  id text primary key,
  seq bigint generated always as identity,
  case_id text references crm.case (id),
  customer_id text not null references crm.customer (id),
  ticket_type text not null default 'information' check (ticket_type in
    ('technical', 'service_outage', 'billing_issue', 'information', 'complaint',
     'configuration_change', 'fraud_report', 'cancellation_request', 'provisioning_exception')),
  subject text not null,
  description text,
  state text not null default 'open' check (state in
    ('open', 'acknowledged', 'in_progress', 'pending', 'resolved', 'closed', 'cancelled')),
  priority text not null default 'medium' check (priority in ('low', 'medium', 'high', 'critical')),
  assigned_to_agent_id text references crm.agent (id),
  related_order_id text,
  related_subscription_id text,
  related_service_id text,
  sla_due_at timestamptz,
  resolution_notes text,
  opened_at timestamptz not null,
  resolved_at timestamptz,
  closed_at timestamptz,
  tenant_id text not null default 'DEFAULT',
  created_at timestamptz not null default kernel.bss_now(),
  updated_at timestamptz not null default kernel.bss_now()
);
create index ticket_customer on crm.ticket (customer_id, seq);
create index ticket_case on crm.ticket (case_id, seq);
create index ticket_state on crm.ticket (state, seq);
create index ticket_agent on crm.ticket (assigned_to_agent_id, seq);

-- changed_by is the caller's actor; changed_by_agent_id is set when that actor is an agent.
create table crm.ticket_state_history (
  id bigserial primary key,
  ticket_id text not null references crm.ticket (id),
  from_state text,
  to_state text not null,
  changed_by text,
  changed_by_agent_id text references crm.agent (id),
  reason text,
  event_time timestamptz not null,
  tenant_id text not null default 'DEFAULT'
);
create index ticket_state_history_ticket on crm.ticket_state_history (ticket_id, id);

create table crm.interaction (
  id text primary key,
  seq bigint generated always as identity,
  customer_id text not null references crm.customer (id),
  channel text,
  direction text check (direction in ('inbound', 'outbound')),
  summary text not null,
  body text,
  agent_id text references crm.agent (id),
  related_case_id text references crm.case (id),
  related_ticket_id text references crm.ticket (id),
  occurred_at timestamptz not null,
  tenant_id text not null default 'DEFAULT'
);
create index interaction_customer on crm.interaction (customer_id, seq);

-- One row per (ticket type, priority): id SLA_<TICKET_TYPE>_<PRIORITY> (docs/domain.md §2).
create table crm.sla_policy (
  id text primary key,
  ticket_type text not null,
  priority text not null,
  target_resolution_minutes bigint not null check (target_resolution_minutes > 0),
  tenant_id text not null default 'DEFAULT',
  created_at timestamptz not null default kernel.bss_now(),
  updated_at timestamptz not null default kernel.bss_now(),
  unique (ticket_type, priority, tenant_id)
);

create table crm.port_request (
  id text primary key,
  seq bigint generated always as identity,
  direction text not null check (direction in ('port_in', 'port_out')),
  donor_carrier text not null,
  donor_msisdn text not null,
  target_subscription_id text,
  requested_port_date date not null,
  state text not null default 'requested'
    check (state in ('requested', 'validated', 'completed', 'rejected')),
  rejection_reason text,
  tenant_id text not null default 'DEFAULT',
  created_at timestamptz not null default kernel.bss_now(),
  updated_at timestamptz not null default kernel.bss_now(),
  -- A port-out always names the line it takes away (checked on create as a policy too).
  check (direction <> 'port_out' or target_subscription_id is not null)
);
create unique index uq_port_request_donor_pending on crm.port_request (donor_msisdn, tenant_id)
  where state in ('requested', 'validated');
create index port_request_state on crm.port_request (state, direction);

-- Transcripts of chats escalated to a case; the hash is the SHA-256 of the body.
create table crm.chat_transcript (
  hash text primary key check (hash ~ '^[0-9a-f]{64}$'),
  customer_id text not null references crm.customer (id),
  body text not null,
  recorded_at timestamptz not null
);

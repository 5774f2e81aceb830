/**
 * The CRM vocabularies (docs/domain.md §1, §3; docs/decisions.md "Domain"): every write validates against
 * these, and the SLA matrix is keyed on the ticket types and priorities listed here.
 *
 * @module
 */

/** Case and ticket priorities. */
export const PRIORITIES = ["low", "medium", "high", "critical"] as const;
/** A case or ticket priority. */
export type Priority = typeof PRIORITIES[number];

/** Case categories. */
export const CASE_CATEGORIES = ["technical", "billing", "account", "information"] as const;
/** A case category. */
export type CaseCategory = typeof CASE_CATEGORIES[number];

/** What a chat escalation was about (recorded beside the case category it maps to). */
export const ESCALATION_CATEGORIES = [
  "fraud",
  "billing_dispute",
  "regulator_complaint",
  "identity_recovery",
  "bereavement",
  "other",
] as const;
/** A chat escalation category. */
export type EscalationCategory = typeof ESCALATION_CATEGORIES[number];

/** Ticket types. */
export const TICKET_TYPES = [
  "technical",
  "service_outage",
  "billing_issue",
  "information",
  "complaint",
  "configuration_change",
  "fraud_report",
  "cancellation_request",
  "provisioning_exception",
] as const;
/** A ticket type. */
export type TicketType = typeof TICKET_TYPES[number];

/** Customer statuses. */
export const CUSTOMER_STATUSES = ["pending", "active", "suspended", "closed"] as const;
/** A customer status. */
export type CustomerStatus = typeof CUSTOMER_STATUSES[number];

/** KYC statuses. */
export const KYC_STATUSES = ["not_verified", "pending", "verified", "rejected", "expired"] as const;

/** Contact medium types (`phone` and `address` are accepted on input as aliases). */
export const MEDIUM_TYPES = ["email", "mobile", "postal"] as const;
/** A contact medium type. */
export type MediumType = typeof MEDIUM_TYPES[number];

/** Identity document types. */
export const DOCUMENT_TYPES = ["nric", "passport", "fin", "driving_license"] as const;
/** An identity document type. */
export type DocumentType = typeof DOCUMENT_TYPES[number];

/** KYC providers (verification methods). */
export const KYC_PROVIDERS = [
  "myinfo",
  "jumio",
  "onfido",
  "manual",
  "waived_test",
  "didit",
  "prebaked",
] as const;
/** A KYC provider. */
export type KycProvider = typeof KYC_PROVIDERS[number];

/** Agent roles and statuses. */
export const AGENT_ROLES = ["csr", "supervisor", "engineer", "system"] as const;
/** An agent role. */
export type AgentRole = typeof AGENT_ROLES[number];
/** Agent statuses. */
export const AGENT_STATUSES = ["active", "terminated"] as const;
/** An agent status. */
export type AgentStatus = typeof AGENT_STATUSES[number];

/** Port request directions and states. */
export const PORT_DIRECTIONS = ["port_in", "port_out"] as const;
/** A port direction. */
export type PortDirection = typeof PORT_DIRECTIONS[number];
/** Port request states. */
export const PORT_STATES = ["requested", "validated", "completed", "rejected"] as const;
/** A port request state. */
export type PortState = typeof PORT_STATES[number];

/** Interaction directions. */
export const DIRECTIONS = ["inbound", "outbound"] as const;
/** An interaction direction. */
export type Direction = typeof DIRECTIONS[number];

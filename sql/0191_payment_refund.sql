-- Refunds: an approved charge undone by a compensation (a failed activation after its first
-- charge). The attempt keeps its row and moves to `refunded`; the gateway's refund
-- reference and the reason are kept beside it.
alter table payment.payment_attempt drop constraint payment_attempt_status_check;
alter table payment.payment_attempt add constraint payment_attempt_status_check
  check (status in ('pending', 'approved', 'declined', 'errored', 'refunded'));
alter table payment.payment_attempt
  add column refunded_at timestamptz,
  add column refund_ref text,
  add column refund_reason text;

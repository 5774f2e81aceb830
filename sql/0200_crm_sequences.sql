-- Sequential public ids for customers, cases and tickets, like orders and subscriptions
-- (DESIGN: prefixed and sequential). Existing hex ids stay as they are.
create sequence kernel.id_cust;
create sequence kernel.id_case;
create sequence kernel.id_tkt;

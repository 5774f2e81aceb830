-- Interactions record who wrote them (the caller's actor), so a reader can tell the agent's
-- writes (`llm-<model>`) from the operator's and the customer's. Older rows stay null.
alter table crm.interaction add column actor text;

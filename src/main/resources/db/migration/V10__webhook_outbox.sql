-- Webhook notifications queued by the alerting node and not yet delivered (or given up): a node
-- that takes the alerting lease over sends them, so a restart or a stop of the alerting node loses
-- none. A row is deleted once its notification is delivered, refused or dropped.
CREATE TABLE webhook_outbox (
  id        bigserial   PRIMARY KEY,
  url       text        NOT NULL,
  format    text        NOT NULL,
  team      text,
  key       text        NOT NULL,
  body      text        NOT NULL,
  queued_at timestamptz NOT NULL DEFAULT now()
);

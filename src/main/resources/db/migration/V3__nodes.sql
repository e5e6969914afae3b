-- Several nodes on one database (issue 8). Every node folds the same record log: the rows other
-- nodes kept, read in the order of the transactions that wrote them. `xid` is that transaction;
-- a node reads only rows whose transaction is older than every one still running
-- (pg_snapshot_xmin), so a row that commits late is never skipped. `node` is the writer, which
-- folded its own rows already. Rows kept before this migration have neither: every node's
-- rebuild reads them.
ALTER TABLE records ADD COLUMN xid xid8;
ALTER TABLE records ALTER COLUMN xid SET DEFAULT pg_current_xact_id();
ALTER TABLE records ADD COLUMN node integer;
CREATE INDEX records_xid ON records (xid);

-- One number per node start.
CREATE SEQUENCE node_ids;

-- Followers replay what the alerting node kept: transitions, and acknowledgements as rows of
-- their own, in the same xid order.
ALTER TABLE alert_transitions ADD COLUMN xid xid8;
ALTER TABLE alert_transitions ALTER COLUMN xid SET DEFAULT pg_current_xact_id();
ALTER TABLE alert_transitions ADD COLUMN kind text NOT NULL DEFAULT 'transition'
  CHECK (kind IN ('transition', 'ack'));
ALTER TABLE alert_transitions DROP CONSTRAINT alert_transitions_alert_id_at_state_severity_key;
ALTER TABLE alert_transitions ADD CONSTRAINT alert_transitions_once
  UNIQUE (alert_id, at, state, severity, kind);
CREATE INDEX alert_transitions_xid ON alert_transitions (xid);

-- Acknowledgements and silences asked of a follower, for the alerting node to carry out.
CREATE TABLE alert_commands (
  id   bigserial PRIMARY KEY,
  kind text      NOT NULL CHECK (kind IN ('ack', 'silence', 'unsilence')),
  body jsonb     NOT NULL
);

-- Plans put through the API: the newest is in force on every node until its period ends.
CREATE TABLE plans (
  id     bigserial   PRIMARY KEY,
  body   text        NOT NULL,
  put_at timestamptz NOT NULL DEFAULT now()
);

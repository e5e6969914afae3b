-- Alert state (issue 5): every transition (the history), the active alert of each rule, and the
-- silences, so that a restart takes them back without notifying twice.
CREATE TABLE alert_transitions (
  id       bigserial   PRIMARY KEY,
  alert_id text        NOT NULL,
  rule     text        NOT NULL,
  episode  bigint      NOT NULL,
  state    text        NOT NULL CHECK (state IN ('pending', 'firing', 'resolved')),
  severity text        NOT NULL CHECK (severity IN ('warning', 'critical')),
  at       timestamptz NOT NULL,
  body     jsonb       NOT NULL,
  -- The webhook's Idempotency-Key: a transition written twice is kept once.
  UNIQUE (alert_id, at, state, severity)
);

CREATE INDEX alert_transitions_rule_episode ON alert_transitions (rule, episode);

CREATE TABLE alert_active (
  rule     text  PRIMARY KEY,
  alert_id text  NOT NULL,
  body     jsonb NOT NULL
);

CREATE TABLE alert_silences (
  id         text        PRIMARY KEY,
  rule       text        NOT NULL,
  created_at timestamptz NOT NULL,
  ends_at    timestamptz NOT NULL,
  comment    text
);

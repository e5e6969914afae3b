-- Section 14: the weekly digests sent (one per team and meeting, whichever node sends it) and the
-- annotations marked on the charts.
CREATE TABLE digests_sent (
  team    text        NOT NULL,
  meeting date        NOT NULL,
  sent_at timestamptz NOT NULL,
  PRIMARY KEY (team, meeting)
);

CREATE TABLE annotations (
  id     bigserial   PRIMARY KEY,
  ts     timestamptz NOT NULL,
  end_ts timestamptz,
  text   text        NOT NULL,
  tags   text[]      NOT NULL DEFAULT '{}'
);

CREATE INDEX annotations_ts ON annotations (ts);

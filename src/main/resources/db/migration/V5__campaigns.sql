-- The calendar of campaigns (issue 18, CONTRACT section 13): plans by period, none overlapping
-- another, kept for every node and for restarts. Puts and deletes take an advisory transaction
-- lock, read the whole calendar (at most 500 rows) and check overlaps before writing. Each put
-- takes a new version, so nodes tell a campaign put again under the same id apart.
CREATE SEQUENCE campaign_versions;

CREATE TABLE campaigns (
  id         text        PRIMARY KEY,
  name       text        NOT NULL,
  start_date text        NOT NULL,
  end_date   text        NOT NULL,
  starts     timestamptz NOT NULL,
  ends       timestamptz NOT NULL,
  body       text        NOT NULL,
  version    bigint      NOT NULL,
  put_at     timestamptz NOT NULL DEFAULT now()
);

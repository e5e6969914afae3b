-- Counter names (issue 17, CONTRACT section 10): at most 100 distinct names across every node.
-- A name is admitted here, under an advisory lock, before records carrying it are kept; a new
-- name past the limit is a rejected row. Names already kept in records are admitted first.
CREATE TABLE counter_names (
  name     text        PRIMARY KEY,
  admitted timestamptz NOT NULL DEFAULT now()
);
INSERT INTO counter_names (name)
SELECT DISTINCT name FROM records WHERE type = 'count' AND name IS NOT NULL
ON CONFLICT DO NOTHING;

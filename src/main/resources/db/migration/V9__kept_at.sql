-- When each record was kept, by the database's clock. After a restart a node reads how long ago
-- the newest record arrived, so the feed's silence (the feed-stale rule) does not start again at
-- the restart and every node shows the same age. Rows kept before this column have none. The
-- partial index answers max(kept_at) without reading the table.
ALTER TABLE records ADD COLUMN kept_at timestamptz;
ALTER TABLE records ALTER COLUMN kept_at SET DEFAULT now();
CREATE INDEX records_kept_at ON records (kept_at) WHERE kept_at IS NOT NULL;

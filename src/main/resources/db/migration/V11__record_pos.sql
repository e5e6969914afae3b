-- Each record's position in the request that kept it: the first keys a request shows (channels,
-- breakdown keys past their caps) are told apart in the order it gives them, on every node and
-- in a rebuild. Null for rows kept before this column (they are ordered by key).
ALTER TABLE records ADD COLUMN pos int4;

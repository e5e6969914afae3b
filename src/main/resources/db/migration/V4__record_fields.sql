-- Breakdowns, experiments and counters (issues 17, 19, 20; CONTRACT sections 3, 10, 11, 12).
-- Orders may carry a product (sku), its category, a region, a customer segment, tags and a
-- quantity; orders and visits an experiment and variant; visits a region. A sixth record type,
-- `count`, counts things the shops do not send as orders (a counter's name and value).
ALTER TABLE records DROP CONSTRAINT records_type_check;
ALTER TABLE records ADD CONSTRAINT records_type_check
  CHECK (type IN ('order', 'refund', 'spend', 'visit', 'nps', 'count'));
ALTER TABLE records
  ADD COLUMN sku text,               -- order
  ADD COLUMN product_category text,  -- order
  ADD COLUMN region text,            -- order, visit
  ADD COLUMN segment text,           -- order
  ADD COLUMN tags text[],            -- order: distinct tags
  ADD COLUMN quantity integer,       -- order: units (null: 1)
  ADD COLUMN experiment text,        -- order, visit
  ADD COLUMN variant text,           -- order, visit
  ADD COLUMN name text,              -- count
  ADD COLUMN value bigint;           -- count

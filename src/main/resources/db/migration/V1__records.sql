-- Every accepted record, kept once. The primary key (type, id) is the duplicate rule of CONTRACT
-- section 3: an insert of a type and id already kept does nothing, and the store counts it as a
-- duplicate from what the database answered.
CREATE TABLE records (
  type           text        NOT NULL
                 CHECK (type IN ('order', 'refund', 'spend', 'visit', 'nps')),
  id             text        NOT NULL,
  ts             timestamptz NOT NULL,
  amount_cents   bigint      NOT NULL,  -- order, refund, spend; 0 for visit and nps
  customer_id    text,                  -- order (required), nps
  channel        text,                  -- order, visit
  new_customer   boolean,               -- order
  ad_channel     text,                  -- order, spend
  cost_cents     bigint,                -- order
  discount_cents bigint,                -- order
  order_id       text,                  -- refund
  category       text,                  -- spend
  impressions    bigint,                -- spend
  clicks         bigint,                -- spend
  sessions       integer,               -- visit
  score          smallint,              -- nps
  batch          uuid        NOT NULL,  -- the append that kept the row (settles a lost answer)
  CONSTRAINT records_pkey PRIMARY KEY (type, id)
);

-- The rebuild at start reads by time: the plan period and the last 48 hours.
CREATE INDEX records_ts ON records (ts);

-- Orders per customer in the plan period, read in customer order from the index alone.
CREATE INDEX records_order_customer ON records (customer_id) INCLUDE (ts, new_customer)
  WHERE type = 'order';

-- One row per repair of restored rows (PgRestore): the other running nodes see a new one when
-- they read the calendar's stamp, and rebuild, since the rows it repaired left their tail.
CREATE TABLE restore_repairs (
  id bigserial PRIMARY KEY,
  at timestamptz NOT NULL DEFAULT now(),
  records bigint NOT NULL,
  alert_transitions bigint NOT NULL
);

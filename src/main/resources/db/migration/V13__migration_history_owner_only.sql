-- The migrations' own history is the owner's: the runtime role (README "Roles and grants") got
-- rows on every table by default privileges, this one included, and could have rewritten it.
DO $$
DECLARE
  g text;
BEGIN
  FOR g IN SELECT DISTINCT grantee FROM information_schema.role_table_grants
      WHERE table_schema = current_schema() AND table_name = 'flyway_schema_history'
        AND grantee <> current_user
  LOOP
    IF g = 'PUBLIC' THEN
      EXECUTE 'REVOKE ALL ON flyway_schema_history FROM PUBLIC';
    ELSE
      EXECUTE format('REVOKE ALL ON flyway_schema_history FROM %I', g);
    END IF;
  END LOOP;
END
$$;

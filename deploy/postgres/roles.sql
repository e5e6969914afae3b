-- Database roles for warroom (README "Roles and grants"). Run once, as a superuser, in the warroom
-- database, before the first start; change the names and passwords to yours.
--   warroom_owner  owns the schema and runs the migrations   (WARROOM_PG_MIGRATE_URL)
--   warroom_app    reads and writes rows, nothing else        (WARROOM_PG_URL)
--   warroom_app may also serve WARROOM_PG_SESSION_URL: LISTEN/NOTIFY and the session advisory
--   lock need no grant beyond CONNECT.
-- CREATE ROLE warroom_owner LOGIN PASSWORD 'change-me';
-- CREATE ROLE warroom_app LOGIN PASSWORD 'change-me';
-- ALTER DATABASE warroom OWNER TO warroom_owner;

GRANT USAGE ON SCHEMA public TO warroom_app;
-- Tables and sequences the migrations create from now on (records, plans, alert state, node
-- numbers): rows only. UPDATE and DELETE serve the alert state, and UPDATE of records.xid the
-- repair after a restore; no TRUNCATE, no DDL.
ALTER DEFAULT PRIVILEGES FOR ROLE warroom_owner IN SCHEMA public
  GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO warroom_app;
ALTER DEFAULT PRIVILEGES FOR ROLE warroom_owner IN SCHEMA public
  GRANT USAGE ON SEQUENCES TO warroom_app;
-- The same on what exists, for a database migrated before this ran.
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO warroom_app;
GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO warroom_app;
-- but not the migrations' history, which is the owner's alone (migration V13 takes back what the
-- default privileges give on a database migrated after this ran)
DO $$ BEGIN
  IF to_regclass('flyway_schema_history') IS NOT NULL THEN
    REVOKE ALL ON flyway_schema_history FROM warroom_app;
  END IF;
END $$;

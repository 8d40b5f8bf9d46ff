-- The guide's queries compare timestamp-without-time-zone columns (stored in UTC) with now() and
-- CURRENT_DATE: make UTC the database's default, so a psql session on a server in another time zone
-- gets the same answers as the app. Skipped with a notice when the migrating user may not do it.
DO $$
BEGIN
  EXECUTE format('ALTER DATABASE %I SET TimeZone = %L', current_database(), 'UTC');
EXCEPTION WHEN insufficient_privilege THEN
  RAISE NOTICE 'Could not set the database time zone to UTC (not the owner); set PGTZ=UTC for psql';
END $$;
--> statement-breakpoint
-- When the WhatsApp switch was last flipped, also by the guide's rollback `UPDATE system_config SET whatsapp_enabled = false;`.
CREATE OR REPLACE FUNCTION system_config_touch() RETURNS trigger AS $$
BEGIN
  NEW.updated_at := now();
  RETURN NEW;
END $$ LANGUAGE plpgsql;
--> statement-breakpoint
DROP TRIGGER IF EXISTS system_config_touch ON system_config;
--> statement-breakpoint
CREATE TRIGGER system_config_touch BEFORE UPDATE ON system_config FOR EACH ROW EXECUTE FUNCTION system_config_touch();

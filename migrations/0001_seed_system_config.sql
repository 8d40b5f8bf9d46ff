-- The single settings row that the deployment guide's rollback updates.
INSERT INTO "system_config" ("id", "whatsapp_enabled") VALUES (1, true) ON CONFLICT ("id") DO NOTHING;

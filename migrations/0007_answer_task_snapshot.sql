-- Each answer keeps the task as it was answered, so editing a task's text or photo rule later no longer
-- rewrites past submissions (reports, CSV, API). Columns are only added: the deployment guide fixes the
-- table's existing ones. Nullable: a process still running the previous release (during a PM2 reload)
-- writes answers without them, and readers fall back to the task's current text.
ALTER TABLE "checklist_submission_answers" ADD COLUMN IF NOT EXISTS "task_text" text;
--> statement-breakpoint
ALTER TABLE "checklist_submission_answers" ADD COLUMN IF NOT EXISTS "task_requires_photo" boolean;
--> statement-breakpoint
-- Existing answers get the task as it is now: the best record there is. Rewrites each old row once,
-- inside the migrator's transaction, so answers wait for it (seconds for a few million rows).
UPDATE "checklist_submission_answers" AS a
SET "task_text" = t."text", "task_requires_photo" = t."requires_photo"
FROM "checklist_template_tasks" AS t
WHERE t."id" = a."task_id" AND a."task_text" IS NULL;

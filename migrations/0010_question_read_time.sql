-- Which question an outgoing message asks (0-based task index; the summary is the task count): the apply reads
-- the first time the current question was accepted by the Graph API (docs/decisions/0007-question-read-time.md),
-- and a quoted reply (context.id = our wa_message_id) names the question it answers.
ALTER TABLE "whatsapp_outbox" ADD COLUMN IF NOT EXISTS "task_index" integer;--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "whatsapp_outbox_question" ON "whatsapp_outbox" USING btree ("session_id","task_index") WHERE task_index IS NOT NULL;--> statement-breakpoint
-- Conversations running at the upgrade: their questions were asked before the column existed. The answer buttons'
-- ids name the question (ans:<session>:<index>:<status>, sum:<session>:<action> for the summary), so without this
-- their next typed answer would be refused once as unread.
UPDATE "whatsapp_outbox" o
SET "task_index" = CASE WHEN b.id LIKE 'ans:%' THEN split_part(b.id, ':', 3)::int ELSE s.total_tasks END
FROM "whatsapp_conversation_sessions" s,
  (SELECT x.id AS outbox_id, x.payload #>> '{interactive,action,buttons,0,reply,id}' AS id
   FROM "whatsapp_outbox" x WHERE x.kind = 'interactive' AND x.task_index IS NULL AND x.session_id IS NOT NULL) b
WHERE b.outbox_id = o.id AND s.id = o.session_id AND s.status = 'active'
  AND (b.id ~ '^ans:[^:]+:[0-9]{1,9}:' OR b.id LIKE 'sum:%');

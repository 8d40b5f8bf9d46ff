import { sql } from 'drizzle-orm';
import type { Executor } from '../lib/db/transaction.js';

/**
 * Which of `names` something refers to (an answer's photos, a corrective action's and its closing photo, an
 * answer a rework replaced, a session's draft photos or its answers so far), in one statement, so one snapshot:
 * the conversation moves a photo from the session to the answer in one transaction, and this sees it on one side
 * or the other. It spans
 * the tables of several components for that reason, and lives with the photos, the one component that asks.
 */
export async function referencedPhotos(exec: Executor, names: string[]): Promise<Set<string>> {
  if (names.length === 0) return new Set();
  const { rows } = await exec.execute<{ name: string }>(sql`
    SELECT c.name FROM unnest(${sql.param(names)}::text[]) AS c(name)
    WHERE c.name IN (
      SELECT a.photo_filename FROM checklist_submission_answers a
      UNION ALL
      SELECT p.photo_filename FROM checklist_submission_answer_photos p
      UNION ALL
      SELECT ca.photo_filename FROM corrective_actions ca
      UNION ALL
      SELECT ca.closing_photo_filename FROM corrective_actions ca
      UNION ALL
      SELECT v.name FROM submission_answer_versions x CROSS JOIN LATERAL unnest(x.photos) AS v(name)
      UNION ALL
      SELECT s.pending_photo_url FROM whatsapp_conversation_sessions s
      UNION ALL
      SELECT d.name FROM whatsapp_conversation_sessions s
        CROSS JOIN LATERAL jsonb_array_elements_text(COALESCE(s.draft -> 'photos', '[]'::jsonb)) AS d(name)
      UNION ALL
      SELECT e.answer ->> 'photo' FROM whatsapp_conversation_sessions s CROSS JOIN LATERAL jsonb_array_elements(s.answers) AS e(answer)
      UNION ALL
      SELECT ph.name FROM whatsapp_conversation_sessions s
        CROSS JOIN LATERAL jsonb_array_elements(s.answers) AS e(answer)
        CROSS JOIN LATERAL jsonb_array_elements_text(COALESCE(e.answer -> 'photos', '[]'::jsonb)) AS ph(name)
    )`);
  return new Set(rows.map((r) => r.name));
}

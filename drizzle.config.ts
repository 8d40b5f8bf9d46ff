import { defineConfig } from 'drizzle-kit';

// Used by `npm run db:generate` (diffs src/lib/db/schema.ts into a new SQL file in migrations/).
// Applying migrations is our own `npm run db:migrate`, which also works on the embedded database.
export default defineConfig({
  dialect: 'postgresql',
  schema: './src/lib/db/schema.ts',
  out: './migrations',
});

import { defineConfig } from 'drizzle-kit';

// `npm run db:generate`: a new SQL migration from the difference between src/db/schema.ts and the last one.
export default defineConfig({
  dialect: 'postgresql',
  schema: './src/db/schema.ts',
  out: './src/db/migrations',
});

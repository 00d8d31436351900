// Prisma 7 reads the connection URL from here rather than from schema.prisma. Only the Prisma CLI
// uses this file (e.g. an operator running `prisma migrate deploy` where the native engine exists);
// the application builds its own client from settings (src/infra/database/prisma-client.factory.ts).
import { defineConfig } from 'prisma/config';

export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  datasource: { url: process.env.DATABASE_URL },
});

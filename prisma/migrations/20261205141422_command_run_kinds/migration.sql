-- CreateEnum
CREATE TYPE "run_kind" AS ENUM ('foreground', 'background', 'interactive');

-- AlterTable
ALTER TABLE "command_runs" ADD COLUMN     "job_number" INTEGER,
ADD COLUMN     "kind" "run_kind" NOT NULL DEFAULT 'foreground',
ADD COLUMN     "pid" INTEGER;

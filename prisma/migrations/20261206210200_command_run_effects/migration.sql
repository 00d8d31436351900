-- AlterTable
ALTER TABLE "command_runs" ADD COLUMN     "effects" JSONB;

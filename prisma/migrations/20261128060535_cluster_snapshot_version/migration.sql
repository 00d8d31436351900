-- AlterTable
ALTER TABLE "clusters" ADD COLUMN     "snapshot_version" TEXT;

-- Lab authoring (issue 19): drafts, proofs, immutable published versions, regrades, lab ownership
-- by course with an admin "shared" flag, and lab sessions pinned to the version they started with.
-- Written by hand from the schema diff (no create-migration run, since another migration was being
-- written at the same time). Comments here hold no semicolons or quotes: scripts are split on them.

-- CreateEnum
CREATE TYPE "proof_state" AS ENUM ('queued', 'running', 'passed', 'failed');

-- CreateEnum
CREATE TYPE "regrade_state" AS ENUM ('queued', 'running', 'done', 'failed');

-- AlterTable
ALTER TABLE "lab_sessions" ADD COLUMN     "lab_version_id" UUID,
ADD COLUMN     "trial" BOOLEAN NOT NULL DEFAULT false;

-- AlterTable
ALTER TABLE "labs" ADD COLUMN     "course_id" UUID,
ADD COLUMN     "shared" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "trial_draft_id" UUID;

-- CreateTable
CREATE TABLE "lab_drafts" (
    "id" UUID NOT NULL,
    "lab_id" TEXT NOT NULL,
    "course_id" UUID NOT NULL,
    "revision" INTEGER NOT NULL DEFAULT 1,
    "files" JSONB NOT NULL,
    "updated_by_id" UUID NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "lab_drafts_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "lab_proofs" (
    "id" UUID NOT NULL,
    "draft_id" UUID NOT NULL,
    "revision" INTEGER NOT NULL,
    "state" "proof_state" NOT NULL DEFAULT 'queued',
    "steps" JSONB NOT NULL DEFAULT '[]',
    "message" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finished_at" TIMESTAMPTZ(3),

    CONSTRAINT "lab_proofs_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "lab_versions" (
    "id" UUID NOT NULL,
    "lab_id" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "files" JSONB NOT NULL,
    "definition" JSONB NOT NULL,
    "published_by_id" UUID NOT NULL,
    "published_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "lab_versions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "lab_regrades" (
    "id" UUID NOT NULL,
    "lab_id" TEXT NOT NULL,
    "course_id" UUID NOT NULL,
    "from_version" INTEGER NOT NULL,
    "to_version" INTEGER NOT NULL,
    "state" "regrade_state" NOT NULL DEFAULT 'queued',
    "done" INTEGER NOT NULL DEFAULT 0,
    "total" INTEGER NOT NULL DEFAULT 0,
    "created_by_id" UUID NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finished_at" TIMESTAMPTZ(3),

    CONSTRAINT "lab_regrades_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "lab_drafts_course_id_lab_id_key" ON "lab_drafts"("course_id", "lab_id");

-- CreateIndex
CREATE INDEX "lab_proofs_draft_id_revision_idx" ON "lab_proofs"("draft_id", "revision");

-- CreateIndex
CREATE UNIQUE INDEX "lab_versions_lab_id_version_key" ON "lab_versions"("lab_id", "version");

-- CreateIndex
CREATE INDEX "lab_regrades_lab_id_idx" ON "lab_regrades"("lab_id");

-- CreateIndex
CREATE INDEX "lab_sessions_lab_version_id_idx" ON "lab_sessions"("lab_version_id");

-- AddForeignKey
ALTER TABLE "lab_sessions" ADD CONSTRAINT "lab_sessions_lab_version_id_fkey" FOREIGN KEY ("lab_version_id") REFERENCES "lab_versions"("id") ON DELETE NO ACTION ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "lab_proofs" ADD CONSTRAINT "lab_proofs_draft_id_fkey" FOREIGN KEY ("draft_id") REFERENCES "lab_drafts"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "lab_versions" ADD CONSTRAINT "lab_versions_lab_id_fkey" FOREIGN KEY ("lab_id") REFERENCES "labs"("id") ON DELETE CASCADE ON UPDATE CASCADE;

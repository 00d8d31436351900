-- AlterTable
ALTER TABLE "command_runs" ADD COLUMN     "home_version" INTEGER;

-- CreateTable
CREATE TABLE "lab_session_homes" (
    "lab_session_id" UUID NOT NULL,
    "version" INTEGER NOT NULL,
    "snapshot" TEXT NOT NULL,
    "bytes" INTEGER NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "lab_session_homes_pkey" PRIMARY KEY ("lab_session_id")
);

-- CreateTable
CREATE TABLE "home_revisions" (
    "lab_session_id" UUID NOT NULL,
    "version" INTEGER NOT NULL,
    "changes" TEXT NOT NULL,
    "snapshot" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "home_revisions_pkey" PRIMARY KEY ("lab_session_id","version")
);

-- AddForeignKey
ALTER TABLE "lab_session_homes" ADD CONSTRAINT "lab_session_homes_lab_session_id_fkey" FOREIGN KEY ("lab_session_id") REFERENCES "lab_sessions"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "home_revisions" ADD CONSTRAINT "home_revisions_lab_session_id_fkey" FOREIGN KEY ("lab_session_id") REFERENCES "lab_sessions"("id") ON DELETE CASCADE ON UPDATE CASCADE;

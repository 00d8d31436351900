-- AlterTable
ALTER TABLE "command_runs" ADD COLUMN     "output_trimmed_at" TIMESTAMPTZ(3);

-- AlterTable
ALTER TABLE "lab_sessions" ADD COLUMN     "records_trimmed_at" TIMESTAMPTZ(3);

-- CreateTable
CREATE TABLE "course_record_exports" (
    "course_id" UUID NOT NULL,
    "started_at" TIMESTAMPTZ(3) NOT NULL,
    "finished_at" TIMESTAMPTZ(3) NOT NULL,
    "exported_by_id" UUID NOT NULL,
    "runs" INTEGER NOT NULL,

    CONSTRAINT "course_record_exports_pkey" PRIMARY KEY ("course_id")
);

-- AddForeignKey
ALTER TABLE "course_record_exports" ADD CONSTRAINT "course_record_exports_course_id_fkey" FOREIGN KEY ("course_id") REFERENCES "courses"("id") ON DELETE CASCADE ON UPDATE CASCADE;

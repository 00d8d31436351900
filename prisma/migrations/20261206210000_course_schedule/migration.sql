-- Per-course lab schedules (issue 19): order, opening and due times, weights, the course time
-- zone, and per-student due-time extensions. Written by hand, it matches Course, CourseLab and
-- DueExtension in prisma/schema.prisma.

-- AlterTable: existing courses get the zone of China (the universities using the platform, the demo course).
ALTER TABLE "courses" ADD COLUMN "time_zone" TEXT NOT NULL DEFAULT 'Asia/Shanghai';

-- AlterTable: no dates means open now and never due, so existing courses keep working unchanged.
ALTER TABLE "course_labs" ADD COLUMN "position" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN "opens_at" TIMESTAMPTZ(3),
ADD COLUMN "due_at" TIMESTAMPTZ(3),
ADD COLUMN "weight" DOUBLE PRECISION NOT NULL DEFAULT 1;

-- Existing rows take the order the lab list showed before: the position in the lab file, then the id.
UPDATE "course_labs" AS cl
SET "position" = ranked.rank
FROM (
  SELECT c."course_id", c."lab_id",
         ROW_NUMBER() OVER (
           PARTITION BY c."course_id"
           ORDER BY (CASE WHEN jsonb_typeof(l."definition" -> 'position') = 'number'
                          THEN (l."definition" ->> 'position')::numeric END) ASC NULLS LAST,
                    c."lab_id" ASC
         ) AS rank
  FROM "course_labs" c
  JOIN "labs" l ON l."id" = c."lab_id"
) AS ranked
WHERE cl."course_id" = ranked."course_id" AND cl."lab_id" = ranked."lab_id";

-- CreateTable
CREATE TABLE "due_extensions" (
    "course_id" UUID NOT NULL,
    "lab_id" TEXT NOT NULL,
    "user_id" UUID NOT NULL,
    "due_at" TIMESTAMPTZ(3) NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "due_extensions_pkey" PRIMARY KEY ("course_id","lab_id","user_id")
);

-- CreateIndex
CREATE INDEX "due_extensions_user_id_idx" ON "due_extensions"("user_id");

-- AddForeignKey
ALTER TABLE "due_extensions" ADD CONSTRAINT "due_extensions_course_id_fkey" FOREIGN KEY ("course_id") REFERENCES "courses"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "due_extensions" ADD CONSTRAINT "due_extensions_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- CreateEnum
CREATE TYPE "kube_api_token_role" AS ENUM ('student', 'instructor');

-- CreateTable
CREATE TABLE "kube_api_tokens" (
    "id" UUID NOT NULL,
    "lab_session_id" UUID NOT NULL,
    "user_id" UUID NOT NULL,
    "role" "kube_api_token_role" NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "revoked_at" TIMESTAMPTZ(3),

    CONSTRAINT "kube_api_tokens_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "kube_api_certificates" (
    "id" TEXT NOT NULL,
    "ca_cert" TEXT NOT NULL,
    "server_cert" TEXT NOT NULL,
    "server_key" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "kube_api_certificates_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "kube_api_tokens_lab_session_id_user_id_idx" ON "kube_api_tokens"("lab_session_id", "user_id");

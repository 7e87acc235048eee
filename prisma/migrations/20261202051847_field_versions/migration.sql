-- AlterTable
ALTER TABLE "Company" ADD COLUMN     "fieldVersions" JSONB NOT NULL DEFAULT '{}';

-- AlterTable
ALTER TABLE "Contact" ADD COLUMN     "fieldVersions" JSONB NOT NULL DEFAULT '{}';

-- CreateTable
CREATE TABLE "Overwrite" (
    "id" BIGSERIAL NOT NULL,
    "deviceId" UUID NOT NULL,
    "version" BIGINT NOT NULL,
    "entry" JSONB NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Overwrite_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Overwrite_deviceId_version_idx" ON "Overwrite"("deviceId", "version");

-- CreateIndex
CREATE INDEX "Overwrite_createdAt_idx" ON "Overwrite"("createdAt");

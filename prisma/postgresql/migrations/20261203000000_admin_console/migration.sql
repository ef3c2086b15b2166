-- Users: last seen (for sorting), byte-order collation so that a prefix search is an index range,
-- and indexes for every listing the admin console offers
ALTER TABLE "User" ADD COLUMN "lastSeenAt" TIMESTAMP(3);
UPDATE "User" SET "lastSeenAt" = (SELECT MAX("lastUsedAt") FROM "Session" WHERE "Session"."userId" = "User"."id");
ALTER TABLE "User" ALTER COLUMN "username" TYPE TEXT COLLATE "C";
ALTER TABLE "User" ALTER COLUMN "email" TYPE TEXT COLLATE "C";
-- Role and status filters ride on the sort order's index: an index of their own would lead the
-- planner away from the prefix ranges of a search.
DROP INDEX "User_role_idx";
CREATE INDEX "User_lastSeenAt_id_idx" ON "User"("lastSeenAt", "id");

-- Sessions: impersonation
ALTER TABLE "Session" ADD COLUMN "impersonatorId" TEXT;

-- Audit events: a hash chain with no foreign key (deleting an account must not rewrite its events).
-- Events written before the chain keep their order as seq 1..N and are recorded as preceding it.
ALTER TABLE "AuditEvent" DROP CONSTRAINT "AuditEvent_userId_fkey";
ALTER TABLE "AuditEvent" ADD COLUMN "seq" INTEGER, ADD COLUMN "prevHash" TEXT NOT NULL DEFAULT '', ADD COLUMN "hash" TEXT NOT NULL DEFAULT '';
UPDATE "AuditEvent" AS e SET "seq" = n.rn
    FROM (SELECT "id", ROW_NUMBER() OVER (ORDER BY "createdAt", "id") AS rn FROM "AuditEvent") AS n
    WHERE e."id" = n."id";
ALTER TABLE "AuditEvent" ALTER COLUMN "seq" SET NOT NULL, ALTER COLUMN "prevHash" DROP DEFAULT, ALTER COLUMN "hash" DROP DEFAULT;
DROP INDEX "AuditEvent_createdAt_id_idx";
DROP INDEX "AuditEvent_type_createdAt_idx";
DROP INDEX "AuditEvent_userId_createdAt_idx";
CREATE UNIQUE INDEX "AuditEvent_seq_key" ON "AuditEvent"("seq");
CREATE INDEX "AuditEvent_createdAt_idx" ON "AuditEvent"("createdAt");
CREATE INDEX "AuditEvent_type_seq_idx" ON "AuditEvent"("type", "seq");
CREATE INDEX "AuditEvent_userId_seq_idx" ON "AuditEvent"("userId", "seq");
CREATE INDEX "AuditEvent_actorId_seq_idx" ON "AuditEvent"("actorId", "seq");
CREATE INDEX "AuditEvent_subject_seq_idx" ON "AuditEvent"("subject", "seq");

CREATE TABLE "AuditChain" (
    "id" INTEGER NOT NULL,
    "seq" INTEGER NOT NULL,
    "hash" TEXT NOT NULL,
    "lastAt" TIMESTAMP(3) NOT NULL,
    "prunedThroughSeq" INTEGER NOT NULL DEFAULT 0,
    "prunedThroughHash" TEXT NOT NULL,

    CONSTRAINT "AuditChain_pkey" PRIMARY KEY ("id")
);
INSERT INTO "AuditChain" ("id", "seq", "hash", "lastAt", "prunedThroughSeq", "prunedThroughHash")
    SELECT 1, COALESCE(MAX("seq"), 0), '0000000000000000000000000000000000000000000000000000000000000000', COALESCE(MAX("createdAt"), TIMESTAMP '1970-01-01 00:00:00'), COALESCE(MAX("seq"), 0), '0000000000000000000000000000000000000000000000000000000000000000'
    FROM "AuditEvent";

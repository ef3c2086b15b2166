-- Users: last seen (for sorting), indexes for every listing the admin console offers
ALTER TABLE "User" ADD COLUMN "lastSeenAt" DATETIME;
UPDATE "User" SET "lastSeenAt" = (SELECT MAX("lastUsedAt") FROM "Session" WHERE "Session"."userId" = "User"."id");
-- Role and status filters ride on the sort order's index: an index of their own would lead the
-- planner away from the prefix ranges of a search.
DROP INDEX "User_role_idx";
CREATE INDEX "User_lastSeenAt_id_idx" ON "User"("lastSeenAt", "id");

-- Sessions: impersonation
ALTER TABLE "Session" ADD COLUMN "impersonatorId" TEXT;

-- Audit events: a hash chain with no foreign key (deleting an account must not rewrite its events).
-- Events written before the chain keep their order as seq 1..N and are recorded as preceding it.
CREATE TABLE "new_AuditEvent" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "seq" INTEGER NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "type" TEXT NOT NULL,
    "userId" TEXT,
    "actorId" TEXT,
    "subject" TEXT,
    "address" TEXT,
    "userAgent" TEXT,
    "detail" TEXT,
    "prevHash" TEXT NOT NULL,
    "hash" TEXT NOT NULL
);
INSERT INTO "new_AuditEvent" ("id", "seq", "createdAt", "type", "userId", "actorId", "subject", "address", "userAgent", "detail", "prevHash", "hash")
    SELECT "id", ROW_NUMBER() OVER (ORDER BY "createdAt", "id"), "createdAt", "type", "userId", "actorId", "subject", "address", "userAgent", "detail", '', ''
    FROM "AuditEvent";
DROP TABLE "AuditEvent";
ALTER TABLE "new_AuditEvent" RENAME TO "AuditEvent";
CREATE UNIQUE INDEX "AuditEvent_seq_key" ON "AuditEvent"("seq");
CREATE INDEX "AuditEvent_createdAt_idx" ON "AuditEvent"("createdAt");
CREATE INDEX "AuditEvent_type_seq_idx" ON "AuditEvent"("type", "seq");
CREATE INDEX "AuditEvent_userId_seq_idx" ON "AuditEvent"("userId", "seq");
CREATE INDEX "AuditEvent_actorId_seq_idx" ON "AuditEvent"("actorId", "seq");
CREATE INDEX "AuditEvent_subject_seq_idx" ON "AuditEvent"("subject", "seq");

CREATE TABLE "AuditChain" (
    "id" INTEGER NOT NULL PRIMARY KEY,
    "seq" INTEGER NOT NULL,
    "hash" TEXT NOT NULL,
    "lastAt" DATETIME NOT NULL,
    "prunedThroughSeq" INTEGER NOT NULL DEFAULT 0,
    "prunedThroughHash" TEXT NOT NULL
);
INSERT INTO "AuditChain" ("id", "seq", "hash", "lastAt", "prunedThroughSeq", "prunedThroughHash")
    SELECT 1, COALESCE(MAX("seq"), 0), '0000000000000000000000000000000000000000000000000000000000000000', COALESCE(MAX("createdAt"), '1970-01-01T00:00:00.000+00:00'), COALESCE(MAX("seq"), 0), '0000000000000000000000000000000000000000000000000000000000000000'
    FROM "AuditEvent";

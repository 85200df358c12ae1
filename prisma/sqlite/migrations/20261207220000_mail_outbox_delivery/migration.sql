-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_mail_outbox" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "to_address" TEXT NOT NULL,
    "subject" TEXT NOT NULL,
    "text" TEXT NOT NULL,
    "html" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "next_attempt_at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lease_until" DATETIME,
    "sent_at" DATETIME,
    "last_error" TEXT,
    "created_at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);
INSERT INTO "new_mail_outbox" ("created_at", "html", "id", "subject", "text", "to_address") SELECT "created_at", "html", "id", "subject", "text", "to_address" FROM "mail_outbox";
DROP TABLE "mail_outbox";
ALTER TABLE "new_mail_outbox" RENAME TO "mail_outbox";
-- Rows written before this migration came from the development outbox and were never meant to be
-- sent: keep them out of delivery.
UPDATE "mail_outbox" SET "status" = 'local';
CREATE INDEX "mail_outbox_created_at_idx" ON "mail_outbox"("created_at");
CREATE INDEX "mail_outbox_status_next_attempt_at_idx" ON "mail_outbox"("status", "next_attempt_at");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;


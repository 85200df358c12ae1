-- CreateTable
CREATE TABLE "pairwise_subjects" (
    "sector" TEXT NOT NULL,
    "ppid" TEXT NOT NULL,
    "account_id" TEXT NOT NULL,
    "created_at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,

    PRIMARY KEY ("sector", "ppid"),
    CONSTRAINT "pairwise_subjects_account_id_fkey" FOREIGN KEY ("account_id") REFERENCES "accounts" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE INDEX "pairwise_subjects_account_id_idx" ON "pairwise_subjects"("account_id");

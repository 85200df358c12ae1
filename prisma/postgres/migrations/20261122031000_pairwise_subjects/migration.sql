-- CreateTable
CREATE TABLE "pairwise_subjects" (
    "sector" TEXT NOT NULL,
    "ppid" TEXT NOT NULL,
    "account_id" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "pairwise_subjects_pkey" PRIMARY KEY ("sector","ppid")
);

-- CreateIndex
CREATE INDEX "pairwise_subjects_account_id_idx" ON "pairwise_subjects"("account_id");

-- AddForeignKey
ALTER TABLE "pairwise_subjects" ADD CONSTRAINT "pairwise_subjects_account_id_fkey" FOREIGN KEY ("account_id") REFERENCES "accounts"("id") ON DELETE CASCADE ON UPDATE CASCADE;

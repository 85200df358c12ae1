-- AlterTable
ALTER TABLE "signup_flows" ADD COLUMN "auth_methods" TEXT;

-- CreateTable
CREATE TABLE "upstream_identities" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "account_id" TEXT NOT NULL,
    "provider" TEXT NOT NULL,
    "subject" TEXT NOT NULL,
    "email" TEXT,
    "created_at" DATETIME NOT NULL,
    "last_used_at" DATETIME NOT NULL,
    CONSTRAINT "upstream_identities_account_id_fkey" FOREIGN KEY ("account_id") REFERENCES "accounts" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "upstream_logins" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "provider" TEXT NOT NULL,
    "interaction_uid" TEXT NOT NULL,
    "region" TEXT NOT NULL,
    "locale" TEXT NOT NULL,
    "nonce" TEXT NOT NULL,
    "code_verifier" TEXT NOT NULL,
    "link_account_id" TEXT,
    "subject" TEXT,
    "email" TEXT,
    "consumed_at" DATETIME,
    "expires_at" DATETIME NOT NULL,
    "created_at" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "sign_in_codes" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "interaction_uid" TEXT NOT NULL,
    "email" TEXT NOT NULL,
    "account_id" TEXT,
    "code_hash" TEXT NOT NULL,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "expires_at" DATETIME NOT NULL,
    "consumed_at" DATETIME,
    "created_at" DATETIME NOT NULL
);

-- CreateIndex
CREATE INDEX "upstream_identities_account_id_idx" ON "upstream_identities"("account_id");

-- CreateIndex
CREATE UNIQUE INDEX "upstream_identities_provider_subject_key" ON "upstream_identities"("provider", "subject");

-- CreateIndex
CREATE INDEX "upstream_logins_expires_at_idx" ON "upstream_logins"("expires_at");

-- CreateIndex
CREATE INDEX "sign_in_codes_interaction_uid_created_at_idx" ON "sign_in_codes"("interaction_uid", "created_at");

-- CreateIndex
CREATE INDEX "sign_in_codes_expires_at_idx" ON "sign_in_codes"("expires_at");


-- DropIndex
DROP INDEX "signup_flows_expires_at_idx";

-- CreateIndex
CREATE INDEX "signup_flows_created_at_idx" ON "signup_flows"("created_at");


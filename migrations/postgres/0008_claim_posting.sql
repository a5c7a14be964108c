-- PostgreSQL twin of ../0008_claim_posting.sql: 'posting' joins the claim states (PostgreSQL alters the check in place).
ALTER TABLE job_claims DROP CONSTRAINT job_claims_status_check;
ALTER TABLE job_claims ADD CONSTRAINT job_claims_status_check CHECK (status IN ('claimed', 'posting', 'done', 'skipped', 'failed'));

-- PostgreSQL twin of ../0007_drop_dormant_index.sql.
DROP INDEX IF EXISTS contacts_by_user_account;

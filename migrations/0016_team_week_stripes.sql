-- Nothing to change on SQLite: it runs one write transaction at a time, and concurrent one-liners share
-- a commit (src/db/group-commit.ts), so the team's weekly row is never a queue there. The PostgreSQL
-- twin (postgres/0016_…) spreads that row over stripes, because on PostgreSQL it was one.
SELECT 1;

-- Nothing to change on SQLite: it runs one write transaction at a time, so two removals from one manager's
-- week never read the same count. The PostgreSQL twin (postgres/0017_…) locks the row before deciding.
SELECT 1;

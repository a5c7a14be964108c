-- Nothing to change on SQLite: contact_weeks is a WITHOUT ROWID table, so its primary key's B-tree is
-- the table itself and already holds the count. The PostgreSQL twin (postgres/0014_…) makes its primary
-- key index carry the count too, so one person's weeks are read from the index alone there as well.
SELECT 1;

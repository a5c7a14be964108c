-- contacts_by_user_account (0006) saved only ~10% of nudge selection at 10,000 managers (~35 ms a
-- run), but every /contact paid for it with one more page written per commit. Dormant accounts are
-- found through contacts_by_user_date instead (docs/performance.md).
DROP INDEX IF EXISTS contacts_by_user_account;

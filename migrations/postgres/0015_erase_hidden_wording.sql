-- PostgreSQL twin of ../0015_erase_hidden_wording.sql: tactics hidden before hiding erased the wording lose it
-- now. The old row versions go at the next VACUUM of anon.tactics (every publish, hide and forget runs one).
UPDATE anon.tactics SET display_text = '[hidden]', tactic_key = 'hidden:legacy-' || id
  WHERE hidden = 1 AND tactic_key NOT LIKE 'hidden:%';

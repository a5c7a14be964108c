-- Hiding a tactic now erases its wording (PRODUCT.md "Deleting is erasing"): display_text becomes '[hidden]'
-- and tactic_key a SHA-256 of the normalised wording, which still refuses the same words. Tactics hidden
-- before that kept both. SQL has no SHA-256 here, so their key becomes one that matches no wording: the
-- words are gone, and flagging them again makes a new tactic an admin can hide again. secure_delete is on
-- for the anonymous store, so the old bytes are zeroed.
UPDATE anon.tactics SET display_text = '[hidden]', tactic_key = 'hidden:legacy-' || id
  WHERE hidden = 1 AND tactic_key NOT LIKE 'hidden:%';

-- Wrong passwords are counted per account and source (the client's IPv4
-- address or IPv6 /48), so that strangers who guess at an account cannot
-- keep its owner, at another address, from logging in.
ALTER TABLE login_failures ADD COLUMN source TEXT NOT NULL DEFAULT '';
CREATE INDEX login_failures_source ON login_failures(account_id, source, at);
-- Each emailed link carries a long random token beside the code; only its
-- SHA-256 is kept. A confirm holding it comes from the mailbox, so it is
-- not a guess and no per-account lock applies to it.
ALTER TABLE reset_codes ADD COLUMN link_hash BYTEA;
CREATE INDEX reset_codes_link ON reset_codes(link_hash) WHERE link_hash IS NOT NULL;

-- An outbox worker claims a mail before sending it, until claimed_until
-- (wall clock, Unix ms): another worker (another instance on a shared
-- database) skips it meanwhile, and takes it over when a killed worker's
-- claim runs out.
ALTER TABLE outbox ADD COLUMN claimed_until INTEGER NOT NULL DEFAULT 0;

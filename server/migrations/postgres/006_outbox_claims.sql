-- An outbox worker claims a mail before sending it, until claimed_until
-- (wall clock, Unix ms): the other instances' workers skip it meanwhile, and
-- take it over when a killed instance's claim runs out.
ALTER TABLE outbox ADD COLUMN claimed_until BIGINT NOT NULL DEFAULT 0;

-- The per-address token buckets, shared by every instance (SQLite keeps
-- them in the one process's memory). at and full_at are Unix ms: when the
-- bucket last changed, and when it will be full again (then it is as good
-- as no row, and pruning deletes it).
CREATE TABLE rate_buckets (
    key     TEXT             PRIMARY KEY,
    tokens  DOUBLE PRECISION NOT NULL,
    at      BIGINT           NOT NULL,
    full_at BIGINT           NOT NULL,
    ok      BOOLEAN          NOT NULL
);
CREATE INDEX rate_buckets_full ON rate_buckets(full_at);

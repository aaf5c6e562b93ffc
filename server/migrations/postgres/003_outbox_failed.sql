-- Mail the relay refused for good (a 5xx reply, e.g. no such mailbox) is
-- not retried forever: it is marked failed and kept for the operator.
ALTER TABLE outbox ADD COLUMN failed_at BIGINT;
DROP INDEX outbox_due;
CREATE INDEX outbox_due ON outbox(next_attempt_at) WHERE sent_at IS NULL AND failed_at IS NULL;

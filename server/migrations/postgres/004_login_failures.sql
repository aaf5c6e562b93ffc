-- Wrong passwords, counted per account for the login throttle: a
-- distributed guessing attack on one account, from many addresses, is
-- refused after a few tries per window, not only slowed by argon2id.
CREATE TABLE login_failures (
    account_id BIGINT NOT NULL REFERENCES accounts(id),
    at         BIGINT NOT NULL
);
CREATE INDEX login_failures_account ON login_failures(account_id, at);

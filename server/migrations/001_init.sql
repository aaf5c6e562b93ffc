-- Sales Plus reset backend: initial schema. Times are Unix milliseconds (UTC).

CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value BLOB NOT NULL
) STRICT;

CREATE TABLE accounts (
    id                  INTEGER PRIMARY KEY,
    username            TEXT    NOT NULL,
    username_key        TEXT    NOT NULL UNIQUE, -- lower(trim(username)): lookups are case-insensitive
    email               TEXT    NOT NULL,
    display_name        TEXT    NOT NULL,
    company             TEXT    NOT NULL,
    password_hash       TEXT    NOT NULL,        -- argon2id, PHC string
    password_changed_at INTEGER NOT NULL,
    reset_locked_until  INTEGER NOT NULL DEFAULT 0
) STRICT;

-- One row per emailed code. Only an HMAC of the code is kept.
CREATE TABLE reset_codes (
    id              INTEGER PRIMARY KEY,
    account_id      INTEGER NOT NULL REFERENCES accounts(id),
    code_mac        BLOB    NOT NULL,
    created_at      INTEGER NOT NULL,
    expires_at      INTEGER NOT NULL,
    attempts        INTEGER NOT NULL DEFAULT 0,
    state           TEXT    NOT NULL CHECK (state IN ('active', 'used', 'superseded', 'burned')),
    idempotency_key TEXT
) STRICT;
CREATE INDEX reset_codes_account ON reset_codes(account_id, created_at);
CREATE INDEX reset_codes_idem ON reset_codes(account_id, idempotency_key) WHERE idempotency_key IS NOT NULL;

-- Wrong codes, counted for the 24-hour reset lock.
CREATE TABLE confirm_failures (
    account_id INTEGER NOT NULL REFERENCES accounts(id),
    at         INTEGER NOT NULL
) STRICT;
CREATE INDEX confirm_failures_account ON confirm_failures(account_id, at);

CREATE TABLE sessions (
    token_hash  BLOB PRIMARY KEY,               -- SHA-256 of the bearer token
    account_id  INTEGER NOT NULL REFERENCES accounts(id),
    device_name TEXT    NOT NULL,
    created_at  INTEGER NOT NULL,
    expires_at  INTEGER NOT NULL,
    revoked_at  INTEGER
) STRICT;
CREATE INDEX sessions_account ON sessions(account_id);

-- Mail to deliver over SMTP, written in the same transaction as the state it
-- reports. The body is erased once the mail is delivered.
CREATE TABLE outbox (
    id              INTEGER PRIMARY KEY,
    message_id      TEXT    NOT NULL,
    to_addr         TEXT    NOT NULL,
    subject         TEXT    NOT NULL,
    body            TEXT    NOT NULL,
    created_at      INTEGER NOT NULL,
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL,
    sent_at         INTEGER,
    last_error      TEXT
) STRICT;
CREATE INDEX outbox_due ON outbox(next_attempt_at) WHERE sent_at IS NULL;

-- Dev mode: mail lands here instead of SMTP.
CREATE TABLE dev_mailbox (
    id      INTEGER PRIMARY KEY,
    to_addr TEXT    NOT NULL,
    subject TEXT    NOT NULL,
    body    TEXT    NOT NULL,
    sent_at INTEGER NOT NULL
) STRICT;

CREATE TABLE datasets (
    name       TEXT PRIMARY KEY,
    title      TEXT    NOT NULL,
    version    INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    records    TEXT    NOT NULL, -- JSON array
    count      INTEGER NOT NULL
) STRICT;

-- A single row that unknown-user requests write to, so that they commit a
-- transaction like known-user requests do (no timing difference).
CREATE TABLE decoy (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    n  INTEGER NOT NULL
) STRICT;
INSERT INTO decoy(id, n) VALUES (1, 0);

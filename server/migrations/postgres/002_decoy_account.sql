-- A decoy account that no username can match (usernames are never empty
-- after trimming) and no password can log into ('!' is not a valid hash).
-- Requests for unknown users run the very same statements against it inside
-- a savepoint that is rolled back, so known and unknown users cost the same.
INSERT INTO accounts(id, username, username_key, email, display_name, company, password_hash, password_changed_at)
VALUES (0, '', '', 'decoy@salesplus.invalid', 'Decoy', '', '!', 0);

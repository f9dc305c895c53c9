-- +goose Up
-- Idempotency-Key of an inburgeraar's booking (issue 11): a replay repeats the response's Location
-- and ETag headers too, kept as a JSON object.
ALTER TABLE idempotentiesleutels ADD COLUMN antwoord_kopregels TEXT;

-- E-mail notifications (issue 11): the address a person chose to give, their consent to be
-- mailed when a portal message arrives, and its verification. Only the hash of the verification
-- token is kept; a verified address has no token left.
CREATE TABLE emailadressen (
    inburgeraar_id    BIGINT PRIMARY KEY REFERENCES inburgeraars (id) ON DELETE CASCADE,
    adres             TEXT NOT NULL,
    toestemming       BOOLEAN NOT NULL DEFAULT FALSE,
    geverifieerd_op   TIMESTAMPTZ,
    token_hash        TEXT,
    token_verloopt_op TIMESTAMPTZ,
    gewijzigd_op      TIMESTAMPTZ NOT NULL,
    CONSTRAINT emailadressen_adres CHECK (length(adres) BETWEEN 3 AND 254),
    CONSTRAINT emailadressen_token CHECK ((token_hash IS NULL) = (token_verloopt_op IS NULL)),
    CONSTRAINT emailadressen_token_geverifieerd CHECK (geverifieerd_op IS NULL OR token_hash IS NULL)
);

-- +goose Down
-- forward-only: no down migration.

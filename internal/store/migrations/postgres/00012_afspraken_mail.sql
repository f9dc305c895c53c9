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

-- The appointment configuration staff edit (types' channels, duration and who may book, the
-- offices' addresses, the cutoff and the horizon): one row, as JSON; without it the built-in
-- defaults apply. Every instance reads it, so a change holds everywhere at once.
CREATE TABLE afspraakinstellingen (
    id             INTEGER PRIMARY KEY,
    inhoud         TEXT NOT NULL,
    versie         INTEGER NOT NULL DEFAULT 1,
    gewijzigd_op   TIMESTAMPTZ NOT NULL,
    CONSTRAINT afspraakinstellingen_een CHECK (id = 1),
    CONSTRAINT afspraakinstellingen_inhoud CHECK (length(inhoud) BETWEEN 2 AND 20000),
    CONSTRAINT afspraakinstellingen_versie CHECK (versie >= 1)
);

-- +goose Down
-- forward-only: no down migration.

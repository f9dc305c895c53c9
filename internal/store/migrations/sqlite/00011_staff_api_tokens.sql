-- +goose Up
-- API tokens of DUO staff (demo mode: POST /v2/demo-tokens with the demo staff persona). Stored
-- hashed, like the inburgeraars' demo tokens; the principal is the staff member's stable ID with
-- the staff scopes the token carries (space-separated).
CREATE TABLE api_medewerker_tokens (
    hash           TEXT PRIMARY KEY,
    medewerker_id  TEXT NOT NULL,
    scopes         TEXT NOT NULL,
    aangemaakt_op  TIMESTAMP NOT NULL,
    verloopt_op    TIMESTAMP NOT NULL,
    CONSTRAINT api_medewerker_tokens_medewerker CHECK (length(medewerker_id) BETWEEN 1 AND 200)
);
CREATE INDEX api_medewerker_tokens_verloopt_op ON api_medewerker_tokens (verloopt_op);

-- +goose Down
DROP TABLE api_medewerker_tokens;

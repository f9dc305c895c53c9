-- +goose Up
-- Language schools as API clients (issue 10): OAuth2 client credentials with private_key_jwt.
CREATE TABLE scholen (
    id                  INTEGER PRIMARY KEY AUTOINCREMENT,
    client_id           TEXT NOT NULL UNIQUE,
    naam                TEXT NOT NULL,
    bow_nummer          TEXT NOT NULL UNIQUE,
    keurmerk_geldig_tot DATE NOT NULL,
    jwks                TEXT NOT NULL,
    scopes              TEXT NOT NULL,
    aangemaakt_op       TIMESTAMP NOT NULL,
    ingetrokken_op      TIMESTAMP,
    CONSTRAINT scholen_naam CHECK (length(naam) BETWEEN 1 AND 200),
    CONSTRAINT scholen_client_id CHECK (length(client_id) BETWEEN 3 AND 64),
    CONSTRAINT scholen_bow CHECK (length(bow_nummer) BETWEEN 1 AND 10),
    CONSTRAINT scholen_jwks CHECK (length(jwks) BETWEEN 2 AND 65536),
    CONSTRAINT scholen_scopes CHECK (length(scopes) BETWEEN 1 AND 500)
);

-- The jti of every client assertion used, kept until the assertion expires: a replay is refused
-- on every instance, since the primary key is shared.
CREATE TABLE school_assertions (
    client_id   TEXT NOT NULL,
    jti         TEXT NOT NULL,
    verloopt_op TIMESTAMP NOT NULL,
    PRIMARY KEY (client_id, jti),
    CONSTRAINT school_assertions_jti CHECK (length(jti) BETWEEN 1 AND 200)
);
CREATE INDEX school_assertions_verloopt ON school_assertions (verloopt_op);

-- +goose Down
-- forward-only: no down migration.

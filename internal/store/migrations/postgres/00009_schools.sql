-- +goose Up
-- Language schools as API clients (issue 10): OAuth2 client credentials with private_key_jwt.
CREATE TABLE scholen (
    id                  BIGSERIAL PRIMARY KEY,
    client_id           TEXT NOT NULL UNIQUE,
    naam                TEXT NOT NULL,
    bow_nummer          TEXT NOT NULL UNIQUE,
    keurmerk_geldig_tot DATE NOT NULL,
    jwks                TEXT NOT NULL,
    scopes              TEXT NOT NULL,
    aangemaakt_op       TIMESTAMPTZ NOT NULL,
    ingetrokken_op      TIMESTAMPTZ,
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
    verloopt_op TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (client_id, jti),
    CONSTRAINT school_assertions_jti CHECK (length(jti) BETWEEN 1 AND 200)
);
CREATE INDEX school_assertions_verloopt ON school_assertions (verloopt_op);

-- A school's contracts with inburgeraars (the monthly contract file, now through the API).
CREATE TABLE contracten (
    id              BIGSERIAL PRIMARY KEY,
    school_id       BIGINT NOT NULL REFERENCES scholen (id) ON DELETE CASCADE,
    inburgeraar_id  BIGINT NOT NULL REFERENCES inburgeraars (id) ON DELETE CASCADE,
    cursussoort     TEXT NOT NULL,
    startdatum      DATE NOT NULL,
    einddatum       DATE NOT NULL,
    ingekochte_uren INTEGER NOT NULL,
    aangemaakt_op   TIMESTAMPTZ NOT NULL,
    CONSTRAINT contracten_cursussoort CHECK (cursussoort IN ('alfabetisering', 'inburgering', 'nt2')),
    CONSTRAINT contracten_periode CHECK (startdatum <= einddatum),
    CONSTRAINT contracten_uren CHECK (ingekochte_uren BETWEEN 1 AND 5000)
);
CREATE INDEX contracten_school ON contracten (school_id, id);
CREATE INDEX contracten_inburgeraar ON contracten (inburgeraar_id, school_id);

-- Hour declarations (urenverklaringen) and where each is in its verification (domain.md §8).
CREATE TABLE urenverklaringen (
    id             BIGSERIAL PRIMARY KEY,
    school_id      BIGINT NOT NULL REFERENCES scholen (id) ON DELETE CASCADE,
    inburgeraar_id BIGINT NOT NULL REFERENCES inburgeraars (id) ON DELETE CASCADE,
    contract_id    BIGINT REFERENCES contracten (id) ON DELETE SET NULL,
    cursussoort    TEXT NOT NULL,
    periode_van    DATE NOT NULL,
    periode_tot    DATE NOT NULL,
    uren           INTEGER NOT NULL,
    status         TEXT NOT NULL,
    termijn_tot    DATE,
    vervalsing     BOOLEAN NOT NULL DEFAULT FALSE,
    aangemaakt_op  TIMESTAMPTZ NOT NULL,
    CONSTRAINT urenverklaringen_cursussoort CHECK (cursussoort IN ('alfabetisering', 'inburgering', 'nt2')),
    CONSTRAINT urenverklaringen_periode CHECK (periode_van <= periode_tot),
    CONSTRAINT urenverklaringen_uren CHECK (uren >= 0),
    CONSTRAINT urenverklaringen_status CHECK (status IN ('geaccepteerd', 'verificatie_school', 'bewijs_gevraagd', 'bewijs_ontvangen', 'voornemen_afwijzing', 'afgewezen')),
    CONSTRAINT urenverklaringen_termijn CHECK ((status IN ('verificatie_school', 'bewijs_gevraagd', 'voornemen_afwijzing')) = (termijn_tot IS NOT NULL))
);
CREATE INDEX urenverklaringen_school ON urenverklaringen (school_id, id);
CREATE INDEX urenverklaringen_inburgeraar ON urenverklaringen (inburgeraar_id, school_id);
CREATE INDEX urenverklaringen_termijn ON urenverklaringen (termijn_tot);

-- Idempotency-Key of school writes (IETF draft): per client and key, the request's fingerprint
-- and, once done, the response. A row without a response is a request still running.
CREATE TABLE idempotentiesleutels (
    client_id       TEXT NOT NULL,
    sleutel         TEXT NOT NULL,
    vingerafdruk    TEXT NOT NULL,
    antwoord_status INTEGER,
    antwoord        TEXT,
    aangemaakt_op   TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (client_id, sleutel),
    CONSTRAINT idempotentiesleutels_sleutel CHECK (length(sleutel) BETWEEN 1 AND 255),
    CONSTRAINT idempotentiesleutels_antwoord CHECK ((antwoord_status IS NULL) = (antwoord IS NULL))
);

-- +goose Down
-- forward-only: no down migration.

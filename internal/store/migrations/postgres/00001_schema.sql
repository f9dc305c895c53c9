-- +goose Up
CREATE TABLE inburgeraars (
    id                     BIGSERIAL PRIMARY KEY,
    bsn                    CHAR(9) NOT NULL UNIQUE CHECK (bsn ~ '^[0-9]{9}$'),
    naam                   TEXT NOT NULL CHECK (length(naam) BETWEEN 1 AND 200),
    doelgroep              TEXT NOT NULL CHECK (doelgroep IN ('asielstatushouder', 'gezinsmigrant', 'overige_migrant')),
    startdatum_plicht      DATE NOT NULL,
    betaler                TEXT NOT NULL CHECK (betaler IN ('gemeente', 'loan', 'self')),
    voorkeurstaal          TEXT NOT NULL DEFAULT 'nl' CHECK (length(voorkeurstaal) BETWEEN 2 AND 10),
    gemeente               TEXT NOT NULL DEFAULT '',
    kennisgevingsdatum     DATE,
    plicht_voldaan_op      DATE,
    ontheffing_op          DATE,
    lening_maximum_centen  BIGINT CHECK (lening_maximum_centen >= 0),
    persona                TEXT UNIQUE,
    aangemaakt_op          TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE verlengingen (
    id              BIGSERIAL PRIMARY KEY,
    inburgeraar_id  BIGINT NOT NULL REFERENCES inburgeraars (id) ON DELETE CASCADE,
    grond           TEXT NOT NULL CHECK (grond IN ('ziekte', 'persoonlijke_omstandigheden', 'alfabetisering', 'geen_cursusaanbod', 'hersteloperatie_toeslagen', 'late_a2_beoordeling')),
    maanden         INTEGER NOT NULL CHECK (maanden > 0),
    besluitdatum    DATE NOT NULL,
    kenmerk         TEXT NOT NULL,
    UNIQUE (inburgeraar_id, kenmerk)
);

CREATE TABLE pips (
    id              BIGSERIAL PRIMARY KEY,
    inburgeraar_id  BIGINT NOT NULL REFERENCES inburgeraars (id) ON DELETE CASCADE,
    datum           DATE NOT NULL,
    gemeente        TEXT NOT NULL,
    leerroute       TEXT NOT NULL CHECK (leerroute IN ('b1', 'onderwijsroute', 'z_route'))
);
CREATE INDEX pips_inburgeraar ON pips (inburgeraar_id, datum);

CREATE TABLE pip_onderdelen (
    id            BIGSERIAL PRIMARY KEY,
    pip_id        BIGINT NOT NULL REFERENCES pips (id) ON DELETE CASCADE,
    volgorde      INTEGER NOT NULL,
    soort         TEXT NOT NULL CHECK (soort IN ('lezen', 'luisteren', 'schrijven', 'spreken', 'knm', 'map', 'pvt', 'cursusuren', 'participatieuren')),
    status        TEXT NOT NULL CHECK (status IN ('open', 'bezig', 'behaald', 'ontheffing')),
    uren_behaald  INTEGER NOT NULL DEFAULT 0 CHECK (uren_behaald >= 0),
    uren_vereist  INTEGER NOT NULL DEFAULT 0 CHECK (uren_vereist >= 0),
    UNIQUE (pip_id, soort)
);

CREATE TABLE facturen (
    id              BIGSERIAL PRIMARY KEY,
    inburgeraar_id  BIGINT NOT NULL REFERENCES inburgeraars (id) ON DELETE CASCADE,
    school          TEXT NOT NULL,
    bedrag_centen   BIGINT NOT NULL CHECK (bedrag_centen > 0),
    betaaldatum     DATE NOT NULL
);
CREATE INDEX facturen_inburgeraar ON facturen (inburgeraar_id, betaaldatum);

CREATE TABLE berichten (
    id              BIGSERIAL PRIMARY KEY,
    inburgeraar_id  BIGINT NOT NULL REFERENCES inburgeraars (id) ON DELETE CASCADE,
    soort           TEXT NOT NULL,
    parameters      TEXT NOT NULL DEFAULT '{}',
    aangemaakt_op   TIMESTAMPTZ NOT NULL,
    gelezen_op      TIMESTAMPTZ
);
CREATE INDEX berichten_inbox ON berichten (inburgeraar_id, aangemaakt_op DESC, id DESC);

CREATE TABLE sessies (
    id_hash         TEXT PRIMARY KEY,
    soort           TEXT NOT NULL CHECK (soort IN ('inburgeraar', 'medewerker')),
    inburgeraar_id  BIGINT REFERENCES inburgeraars (id) ON DELETE CASCADE,
    medewerker      TEXT NOT NULL DEFAULT '',
    rol             TEXT NOT NULL DEFAULT '',
    id_token_hint   TEXT NOT NULL DEFAULT '',
    aangemaakt_op   TIMESTAMPTZ NOT NULL,
    laatst_gezien_op TIMESTAMPTZ NOT NULL,
    CHECK ((soort = 'inburgeraar') = (inburgeraar_id IS NOT NULL))
);

CREATE TABLE api_tokens (
    hash            TEXT PRIMARY KEY,
    inburgeraar_id  BIGINT NOT NULL REFERENCES inburgeraars (id) ON DELETE CASCADE,
    aangemaakt_op   TIMESTAMPTZ NOT NULL,
    verloopt_op     TIMESTAMPTZ NOT NULL
);

CREATE TABLE auditlog (
    id          BIGSERIAL PRIMARY KEY,
    tijdstip    TIMESTAMPTZ NOT NULL,
    actor       TEXT NOT NULL,
    actie       TEXT NOT NULL,
    subject     TEXT NOT NULL,
    details     TEXT NOT NULL DEFAULT ''
);
-- +goose StatementBegin
CREATE FUNCTION auditlog_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'auditlog is append-only';
END;
$$;
-- +goose StatementEnd
CREATE TRIGGER auditlog_append_only BEFORE UPDATE OR DELETE ON auditlog
    FOR EACH ROW EXECUTE FUNCTION auditlog_append_only();

-- +goose Down
-- forward-only: no down migration.

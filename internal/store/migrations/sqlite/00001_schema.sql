-- +goose Up
CREATE TABLE inburgeraars (
    id                     INTEGER PRIMARY KEY AUTOINCREMENT,
    bsn                    TEXT NOT NULL UNIQUE CHECK (length(bsn) = 9),
    naam                   TEXT NOT NULL CHECK (length(naam) BETWEEN 1 AND 200),
    doelgroep              TEXT NOT NULL CHECK (doelgroep IN ('asielstatushouder', 'gezinsmigrant', 'overige_migrant')),
    startdatum_plicht      DATE NOT NULL,
    betaler                TEXT NOT NULL CHECK (betaler IN ('gemeente', 'loan', 'self')),
    voorkeurstaal          TEXT NOT NULL DEFAULT 'nl' CHECK (length(voorkeurstaal) BETWEEN 2 AND 10),
    gemeente               TEXT NOT NULL DEFAULT '',
    kennisgevingsdatum     DATE,
    plicht_voldaan_op      DATE,
    ontheffing_op          DATE,
    lening_maximum_centen  INTEGER CHECK (lening_maximum_centen >= 0),
    persona                TEXT UNIQUE,
    aangemaakt_op          TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP
);

CREATE TABLE verlengingen (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    inburgeraar_id  INTEGER NOT NULL REFERENCES inburgeraars (id) ON DELETE CASCADE,
    grond           TEXT NOT NULL CHECK (grond IN ('ziekte', 'persoonlijke_omstandigheden', 'alfabetisering', 'geen_cursusaanbod', 'hersteloperatie_toeslagen', 'late_a2_beoordeling')),
    maanden         INTEGER NOT NULL CHECK (maanden > 0),
    besluitdatum    DATE NOT NULL,
    kenmerk         TEXT NOT NULL,
    UNIQUE (inburgeraar_id, kenmerk)
);

CREATE TABLE pips (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    inburgeraar_id  INTEGER NOT NULL REFERENCES inburgeraars (id) ON DELETE CASCADE,
    datum           DATE NOT NULL,
    gemeente        TEXT NOT NULL,
    leerroute       TEXT NOT NULL CHECK (leerroute IN ('b1', 'onderwijsroute', 'z_route'))
);
CREATE INDEX pips_inburgeraar ON pips (inburgeraar_id, datum);

CREATE TABLE pip_onderdelen (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    pip_id        INTEGER NOT NULL REFERENCES pips (id) ON DELETE CASCADE,
    volgorde      INTEGER NOT NULL,
    soort         TEXT NOT NULL CHECK (soort IN ('lezen', 'luisteren', 'schrijven', 'spreken', 'knm', 'map', 'pvt', 'cursusuren', 'participatieuren')),
    status        TEXT NOT NULL CHECK (status IN ('open', 'bezig', 'behaald', 'ontheffing')),
    uren_behaald  INTEGER NOT NULL DEFAULT 0 CHECK (uren_behaald >= 0),
    uren_vereist  INTEGER NOT NULL DEFAULT 0 CHECK (uren_vereist >= 0),
    UNIQUE (pip_id, soort)
);

CREATE TABLE facturen (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    inburgeraar_id  INTEGER NOT NULL REFERENCES inburgeraars (id) ON DELETE CASCADE,
    school          TEXT NOT NULL,
    bedrag_centen   INTEGER NOT NULL CHECK (bedrag_centen > 0),
    betaaldatum     DATE NOT NULL
);
CREATE INDEX facturen_inburgeraar ON facturen (inburgeraar_id, betaaldatum);

CREATE TABLE berichten (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    inburgeraar_id  INTEGER NOT NULL REFERENCES inburgeraars (id) ON DELETE CASCADE,
    soort           TEXT NOT NULL,
    parameters      TEXT NOT NULL DEFAULT '{}',
    aangemaakt_op   TIMESTAMP NOT NULL,
    gelezen_op      TIMESTAMP
);
CREATE INDEX berichten_inbox ON berichten (inburgeraar_id, aangemaakt_op DESC, id DESC);

CREATE TABLE sessies (
    id_hash         TEXT PRIMARY KEY,
    soort           TEXT NOT NULL CHECK (soort IN ('inburgeraar', 'medewerker')),
    inburgeraar_id  INTEGER REFERENCES inburgeraars (id) ON DELETE CASCADE,
    medewerker      TEXT NOT NULL DEFAULT '',
    rol             TEXT NOT NULL DEFAULT '',
    id_token_hint   TEXT NOT NULL DEFAULT '',
    aangemaakt_op   TIMESTAMP NOT NULL,
    laatst_gezien_op TIMESTAMP NOT NULL,
    CHECK ((soort = 'inburgeraar') = (inburgeraar_id IS NOT NULL))
);

CREATE TABLE api_tokens (
    hash            TEXT PRIMARY KEY,
    inburgeraar_id  INTEGER NOT NULL REFERENCES inburgeraars (id) ON DELETE CASCADE,
    aangemaakt_op   TIMESTAMP NOT NULL,
    verloopt_op     TIMESTAMP NOT NULL
);

CREATE TABLE auditlog (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    tijdstip    TIMESTAMP NOT NULL,
    actor       TEXT NOT NULL,
    actie       TEXT NOT NULL,
    subject     TEXT NOT NULL,
    details     TEXT NOT NULL DEFAULT ''
);
-- +goose StatementBegin
CREATE TRIGGER auditlog_no_update BEFORE UPDATE ON auditlog BEGIN SELECT RAISE(ABORT, 'auditlog is append-only'); END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER auditlog_no_delete BEFORE DELETE ON auditlog BEGIN SELECT RAISE(ABORT, 'auditlog is append-only'); END;
-- +goose StatementEnd

-- +goose Down
-- forward-only: no down migration.

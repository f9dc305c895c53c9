-- +goose Up
-- Medical requests (domain.md §7): one row per request with the date of each stage, the advice of
-- DUO's medical adviser, the blocking-right status and DUO's decision. versie grows with every
-- change of the consent or the decision (the ETag of the consent resource).
CREATE TABLE medische_aanvragen (
    id                        INTEGER PRIMARY KEY AUTOINCREMENT,
    inburgeraar_id            INTEGER NOT NULL REFERENCES inburgeraars (id) ON DELETE CASCADE,
    soort                     TEXT NOT NULL CHECK (soort IN ('ontheffing', 'gedeeltelijke_ontheffing', 'aangepaste_examenvoorwaarden', 'verlenging_ziekte')),
    kenmerk                   TEXT NOT NULL UNIQUE CHECK (length(kenmerk) BETWEEN 1 AND 40),
    aangevraagd_op            DATE NOT NULL,
    leges_centen              INTEGER NOT NULL CHECK (leges_centen >= 0),
    betaald_op                DATE,
    wacht_op_behandelaar      BOOLEAN NOT NULL DEFAULT FALSE CHECK (wacht_op_behandelaar IN (0, 1)),
    onderzoek_gepland         DATE,
    onderzocht_op             DATE,
    advies_gereed_op          DATE,
    advies                    TEXT NOT NULL DEFAULT '' CHECK (length(advies) <= 4000),
    reactie_uiterlijk         DATE,
    toestemming               TEXT NOT NULL DEFAULT 'open' CHECK (toestemming IN ('open', 'gegeven', 'geblokkeerd', 'ingetrokken')),
    toestemming_gewijzigd_op  TIMESTAMP,
    besluit_uitkomst          TEXT CHECK (besluit_uitkomst IN ('toegekend', 'gedeeltelijk', 'aangepaste_voorwaarden', 'afgewezen', 'verlenging')),
    besluit_datum             DATE,
    besluit_onderdelen        TEXT NOT NULL DEFAULT '',
    besluit_voorwaarden       TEXT NOT NULL DEFAULT '' CHECK (length(besluit_voorwaarden) <= 4000),
    besluit_maanden           INTEGER CHECK (besluit_maanden > 0),
    besluit_kenmerk           TEXT NOT NULL DEFAULT '',
    versie                    INTEGER NOT NULL DEFAULT 1 CHECK (versie > 0),
    CHECK ((besluit_uitkomst IS NULL) = (besluit_datum IS NULL)),
    CHECK (toestemming = 'open' OR advies_gereed_op IS NOT NULL),
    CHECK ((advies_gereed_op IS NULL) = (advies = '')),
    CHECK (besluit_uitkomst IS NULL OR besluit_uitkomst <> 'verlenging' OR besluit_maanden IS NOT NULL)
);
CREATE INDEX medische_aanvragen_inburgeraar ON medische_aanvragen (inburgeraar_id, aangevraagd_op);

-- The evidence of every choice under the blocking right: append-only, with the exact text and
-- language shown, the time and the channel. No cascade: evidence outlives nothing it proves.
CREATE TABLE medische_toestemmingen (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    aanvraag_id  INTEGER NOT NULL REFERENCES medische_aanvragen (id),
    keuze        TEXT NOT NULL CHECK (keuze IN ('toestemming', 'blokkeren', 'intrekken')),
    resultaat    TEXT NOT NULL CHECK (resultaat IN ('gegeven', 'geblokkeerd', 'ingetrokken')),
    tijdstip     TIMESTAMP NOT NULL,
    kanaal       TEXT NOT NULL CHECK (kanaal IN ('portal', 'api')),
    taal         TEXT NOT NULL CHECK (length(taal) BETWEEN 2 AND 10),
    tekstversie  TEXT NOT NULL CHECK (length(tekstversie) BETWEEN 1 AND 40),
    tekst        TEXT NOT NULL CHECK (length(tekst) BETWEEN 1 AND 4000)
);
CREATE INDEX medische_toestemmingen_aanvraag ON medische_toestemmingen (aanvraag_id, tijdstip);
-- +goose StatementBegin
CREATE TRIGGER medische_toestemmingen_no_update BEFORE UPDATE ON medische_toestemmingen BEGIN SELECT RAISE(ABORT, 'medische_toestemmingen is append-only'); END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER medische_toestemmingen_no_delete BEFORE DELETE ON medische_toestemmingen BEGIN SELECT RAISE(ABORT, 'medische_toestemmingen is append-only'); END;
-- +goose StatementEnd

-- +goose Down
-- forward-only: no down migration.

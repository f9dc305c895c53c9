-- +goose NO TRANSACTION
-- The audit log names staff by a stable ID: the session keeps it beside the display name.
-- The BSN check becomes the one PostgreSQL has (nine digits): SQLite cannot alter a check, so
-- the table is rebuilt (https://www.sqlite.org/lang_altertable.html#otheralter). Foreign keys
-- are off while it is: dropping the table would otherwise cascade to every table referencing it.

-- +goose Up
PRAGMA foreign_keys = OFF;

BEGIN;
ALTER TABLE sessies ADD COLUMN medewerker_id TEXT NOT NULL DEFAULT '';

CREATE TABLE inburgeraars_nieuw (
    id                     INTEGER PRIMARY KEY AUTOINCREMENT,
    bsn                    TEXT NOT NULL UNIQUE CHECK (length(bsn) = 9 AND ltrim(bsn, '0123456789') = ''),
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
INSERT INTO inburgeraars_nieuw SELECT id, bsn, naam, doelgroep, startdatum_plicht, betaler, voorkeurstaal, gemeente,
    kennisgevingsdatum, plicht_voldaan_op, ontheffing_op, lening_maximum_centen, persona, aangemaakt_op FROM inburgeraars;
DROP TABLE inburgeraars;
ALTER TABLE inburgeraars_nieuw RENAME TO inburgeraars;
COMMIT;

PRAGMA foreign_keys = ON;

-- +goose Down
-- forward-only: no down migration.

-- +goose Up
-- DUO appointments (issue 11): published slots with a capacity and the appointments booked in
-- them. A slot's capacity holds in the database: geboekt only rises through a conditional update
-- (geboekt < capaciteit) and a check keeps it within 0..capaciteit whatever the Go code does.
CREATE TABLE tijdsloten (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    soort         TEXT NOT NULL,
    kanaal        TEXT NOT NULL,
    kantoor       TEXT NOT NULL DEFAULT '',
    starttijd     TIMESTAMP NOT NULL,
    duur_minuten  INTEGER NOT NULL,
    capaciteit    INTEGER NOT NULL,
    geboekt       INTEGER NOT NULL DEFAULT 0,
    gesloten      BOOLEAN NOT NULL DEFAULT FALSE,
    CONSTRAINT tijdsloten_soort CHECK (length(soort) BETWEEN 1 AND 40),
    CONSTRAINT tijdsloten_kanaal CHECK (kanaal IN ('telefoon', 'video', 'kantoor')),
    CONSTRAINT tijdsloten_kantoor CHECK ((kanaal = 'kantoor') = (kantoor <> '')),
    CONSTRAINT tijdsloten_duur CHECK (duur_minuten BETWEEN 5 AND 480),
    CONSTRAINT tijdsloten_capaciteit CHECK (capaciteit BETWEEN 1 AND 50),
    CONSTRAINT tijdsloten_geboekt CHECK (geboekt >= 0 AND geboekt <= capaciteit),
    UNIQUE (soort, kanaal, kantoor, starttijd),
    UNIQUE (id, soort)
);
CREATE INDEX tijdsloten_zoeken ON tijdsloten (soort, kanaal, starttijd);

-- At most one open (gepland) appointment per type per person: a partial unique index. An
-- appointment's type is its slot's type: a foreign key on (tijdslot_id, soort).
CREATE TABLE afspraken (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    inburgeraar_id  INTEGER NOT NULL REFERENCES inburgeraars (id) ON DELETE CASCADE,
    tijdslot_id     INTEGER NOT NULL,
    soort           TEXT NOT NULL,
    status          TEXT NOT NULL DEFAULT 'gepland',
    tolk_taal       TEXT,
    sleutel         TEXT NOT NULL,
    versie          INTEGER NOT NULL DEFAULT 1,
    notities        TEXT NOT NULL DEFAULT '',
    herinnerd_versie INTEGER,
    aangemaakt_op   TIMESTAMP NOT NULL,
    gewijzigd_op    TIMESTAMP NOT NULL,
    CONSTRAINT afspraken_status CHECK (status IN ('gepland', 'geannuleerd', 'vervallen', 'gehouden', 'niet_verschenen')),
    CONSTRAINT afspraken_tolk CHECK (length(tolk_taal) BETWEEN 2 AND 3),
    CONSTRAINT afspraken_sleutel CHECK (length(sleutel) BETWEEN 1 AND 100),
    CONSTRAINT afspraken_versie CHECK (versie >= 1),
    CONSTRAINT afspraken_notities CHECK (length(notities) <= 2000),
    FOREIGN KEY (tijdslot_id, soort) REFERENCES tijdsloten (id, soort),
    UNIQUE (inburgeraar_id, sleutel)
);
CREATE UNIQUE INDEX afspraken_een_open ON afspraken (inburgeraar_id, soort) WHERE status = 'gepland';
CREATE INDEX afspraken_tijdslot ON afspraken (tijdslot_id);

-- +goose Down
DROP TABLE afspraken;
DROP TABLE tijdsloten;

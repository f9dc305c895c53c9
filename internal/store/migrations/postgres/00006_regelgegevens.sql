-- +goose Up
-- Facts the rules of the law need beyond the person record (issue 6): PIP deadline, Wi2007 term,
-- Wi2013 fine and remission. One row per inburgeraar, absent when nothing is known.
CREATE TABLE regelgegevens (
    inburgeraar_id                 BIGINT PRIMARY KEY REFERENCES inburgeraars (id) ON DELETE CASCADE,
    brp_inschrijfdatum             DATE,
    wacht_op_derden                BOOLEAN NOT NULL DEFAULT FALSE,
    termijn_einddatum_gemeente     DATE,
    keurmerk_uren                  INTEGER NOT NULL DEFAULT 0 CHECK (keurmerk_uren >= 0),
    examenpogingen                 TEXT CHECK (examenpogingen IN ('niet_alle_onderdelen', 'alle_onderdelen_eenmaal', 'gezakte_onderdelen_tweemaal')),
    open_onderdelen_einde_termijn  INTEGER CHECK (open_onderdelen_einde_termijn BETWEEN 0 AND 9),
    gezinslid_asielstatushouder    BOOLEAN NOT NULL DEFAULT FALSE
);

-- Fines DUO imposed (boetebesluiten); after a Wi2013 fine a new term (boetetermijn) starts.
CREATE TABLE boetes (
    id              BIGSERIAL PRIMARY KEY,
    inburgeraar_id  BIGINT NOT NULL REFERENCES inburgeraars (id) ON DELETE CASCADE,
    besluitdatum    DATE NOT NULL,
    bedrag_centen   BIGINT NOT NULL CHECK (bedrag_centen > 0),
    kenmerk         TEXT NOT NULL,
    UNIQUE (inburgeraar_id, kenmerk)
);

-- +goose Down
DROP TABLE boetes;
DROP TABLE regelgegevens;

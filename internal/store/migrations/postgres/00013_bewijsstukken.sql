-- +goose Up
-- Evidence that an inburgeraar uploads when DUO asks for it (issue 10, domain.md §8), and the
-- reasoned decisions of staff on a declaration. The file's bytes live in their own table, written
-- in the same transaction as its metadata, so a backup holds both or neither.
CREATE TABLE bewijsstukken (
    id               BIGSERIAL PRIMARY KEY,
    urenverklaring_id BIGINT NOT NULL REFERENCES urenverklaringen (id) ON DELETE CASCADE,
    soort            TEXT NOT NULL,
    mediatype        TEXT NOT NULL,
    grootte          BIGINT NOT NULL,
    sha256           TEXT NOT NULL,
    toelichting      TEXT NOT NULL DEFAULT '',
    ontvangen_op     TIMESTAMPTZ NOT NULL,
    CONSTRAINT bewijsstukken_soort CHECK (soort IN ('contract', 'bankafschrift')),
    CONSTRAINT bewijsstukken_mediatype CHECK (mediatype IN ('application/pdf', 'image/jpeg', 'image/png')),
    CONSTRAINT bewijsstukken_grootte CHECK (grootte BETWEEN 1 AND 10485760),
    CONSTRAINT bewijsstukken_sha256 CHECK (length(sha256) = 64),
    CONSTRAINT bewijsstukken_toelichting CHECK (length(toelichting) <= 2000)
);
CREATE INDEX bewijsstukken_urenverklaring ON bewijsstukken (urenverklaring_id, id);

CREATE TABLE bewijsstuk_inhoud (
    bewijsstuk_id BIGINT PRIMARY KEY REFERENCES bewijsstukken (id) ON DELETE CASCADE,
    inhoud        BYTEA NOT NULL
);

-- Every decision of staff on a declaration, with its reason (accept, intent to refuse, refuse).
CREATE TABLE urenverklaring_besluiten (
    id                BIGSERIAL PRIMARY KEY,
    urenverklaring_id BIGINT NOT NULL REFERENCES urenverklaringen (id) ON DELETE CASCADE,
    besluit           TEXT NOT NULL,
    reden             TEXT NOT NULL,
    medewerker        TEXT NOT NULL,
    genomen_op        TIMESTAMPTZ NOT NULL,
    CONSTRAINT urenverklaring_besluiten_besluit CHECK (besluit IN ('medewerker_accepteert', 'medewerker_voornemen', 'medewerker_weigert')),
    CONSTRAINT urenverklaring_besluiten_reden CHECK (length(reden) BETWEEN 1 AND 2000),
    CONSTRAINT urenverklaring_besluiten_medewerker CHECK (length(medewerker) BETWEEN 1 AND 200)
);
CREATE INDEX urenverklaring_besluiten_urenverklaring ON urenverklaring_besluiten (urenverklaring_id, id);

-- +goose Down
-- forward-only: no down migration.

-- +goose Up
-- Invoices are accepted or rejected by the inburgeraar before DUO pays them (§5); rows that exist
-- were paid.
ALTER TABLE facturen RENAME COLUMN betaaldatum TO factuurdatum;
ALTER TABLE facturen
    ADD COLUMN periode_van DATE,
    ADD COLUMN periode_tot DATE,
    ADD COLUMN status      TEXT NOT NULL DEFAULT 'betaald',
    ADD COLUMN reden       TEXT,
    ADD COLUMN besloten_op TIMESTAMPTZ,
    ADD COLUMN betaald_op  DATE;
UPDATE facturen SET periode_van = factuurdatum, periode_tot = factuurdatum, betaald_op = factuurdatum;
ALTER TABLE facturen
    ALTER COLUMN periode_van SET NOT NULL,
    ALTER COLUMN periode_tot SET NOT NULL,
    ALTER COLUMN status SET DEFAULT 'open',
    ADD CONSTRAINT facturen_school CHECK (length(school) BETWEEN 1 AND 200),
    ADD CONSTRAINT facturen_status CHECK (status IN ('open', 'geaccepteerd', 'afgewezen', 'betaald')),
    ADD CONSTRAINT facturen_reden_lengte CHECK (length(reden) BETWEEN 10 AND 500),
    ADD CONSTRAINT facturen_periode CHECK (periode_van <= periode_tot),
    ADD CONSTRAINT facturen_reden CHECK ((status = 'afgewezen') = (reden IS NOT NULL)),
    ADD CONSTRAINT facturen_besluit CHECK ((status NOT IN ('geaccepteerd', 'afgewezen') OR besloten_op IS NOT NULL) AND (status <> 'open' OR besloten_op IS NULL)),
    ADD CONSTRAINT facturen_betaald CHECK ((status = 'betaald') = (betaald_op IS NOT NULL));
DROP INDEX facturen_inburgeraar;
CREATE INDEX facturen_inburgeraar ON facturen (inburgeraar_id, factuurdatum, id);

-- +goose Down
-- forward-only: no down migration.

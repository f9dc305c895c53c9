-- +goose Up
-- Invoices are accepted or rejected by the inburgeraar before DUO pays them (§5). SQLite cannot
-- relax NOT NULL or add table checks in place, so the table is rebuilt; rows that exist were paid.
CREATE TABLE facturen_nieuw (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    inburgeraar_id  INTEGER NOT NULL REFERENCES inburgeraars (id) ON DELETE CASCADE,
    school          TEXT NOT NULL,
    bedrag_centen   INTEGER NOT NULL CHECK (bedrag_centen > 0),
    factuurdatum    DATE NOT NULL,
    periode_van     DATE NOT NULL,
    periode_tot     DATE NOT NULL,
    status          TEXT NOT NULL DEFAULT 'open',
    reden           TEXT,
    besloten_op     TIMESTAMP,
    betaald_op      DATE,
    CONSTRAINT facturen_school CHECK (length(school) BETWEEN 1 AND 200),
    CONSTRAINT facturen_status CHECK (status IN ('open', 'geaccepteerd', 'afgewezen', 'betaald')),
    CONSTRAINT facturen_reden_lengte CHECK (length(reden) BETWEEN 10 AND 500),
    CONSTRAINT facturen_periode CHECK (periode_van <= periode_tot),
    CONSTRAINT facturen_reden CHECK ((status = 'afgewezen') = (reden IS NOT NULL)),
    CONSTRAINT facturen_besluit CHECK ((status NOT IN ('geaccepteerd', 'afgewezen') OR besloten_op IS NOT NULL) AND (status <> 'open' OR besloten_op IS NULL)),
    CONSTRAINT facturen_betaald CHECK ((status = 'betaald') = (betaald_op IS NOT NULL))
);
INSERT INTO facturen_nieuw (id, inburgeraar_id, school, bedrag_centen, factuurdatum, periode_van, periode_tot, status, betaald_op)
    SELECT id, inburgeraar_id, school, bedrag_centen, betaaldatum, betaaldatum, betaaldatum, 'betaald', betaaldatum FROM facturen;
DROP TABLE facturen;
ALTER TABLE facturen_nieuw RENAME TO facturen;
CREATE INDEX facturen_inburgeraar ON facturen (inburgeraar_id, factuurdatum, id);

-- +goose Down
-- forward-only: no down migration.

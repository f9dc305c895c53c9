-- +goose Up
-- The audit log names staff by a stable ID: the session keeps it beside the display name.
ALTER TABLE sessies ADD COLUMN medewerker_id TEXT NOT NULL DEFAULT '';

-- One BSN check for both dialects (nine digits), written so that SQLite can say it the same way.
ALTER TABLE inburgeraars ALTER COLUMN bsn TYPE TEXT;
ALTER TABLE inburgeraars DROP CONSTRAINT inburgeraars_bsn_check;
ALTER TABLE inburgeraars ADD CONSTRAINT inburgeraars_bsn_check CHECK (length(bsn) = 9 AND ltrim(bsn, '0123456789') = '');

-- +goose Down
-- forward-only: no down migration.

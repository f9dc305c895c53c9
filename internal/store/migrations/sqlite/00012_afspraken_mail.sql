-- +goose Up
-- Idempotency-Key of an inburgeraar's booking (issue 11): a replay repeats the response's Location
-- and ETag headers too, kept as a JSON object.
ALTER TABLE idempotentiesleutels ADD COLUMN antwoord_kopregels TEXT;

-- +goose Down
-- forward-only: no down migration.

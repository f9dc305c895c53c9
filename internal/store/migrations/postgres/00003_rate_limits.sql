-- +goose Up
-- Rate-limit counters shared by every app instance: one row per policy and subject (an IP address,
-- an access token, a staff session), keyed by an HMAC of both, never the raw value. venster is the
-- start of the current fixed window and verloopt_op its end, both in Unix seconds; expired rows are
-- swept by the instances.
CREATE TABLE rate_limits (
    sleutel      TEXT NOT NULL PRIMARY KEY CHECK (length(sleutel) = 64),
    venster      BIGINT NOT NULL,
    aantal       BIGINT NOT NULL CHECK (aantal > 0),
    verloopt_op  BIGINT NOT NULL CHECK (verloopt_op > venster)
);
CREATE INDEX rate_limits_verloopt_op ON rate_limits (verloopt_op);

-- +goose Down
-- forward-only: no down migration.

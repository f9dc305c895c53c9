-- +goose Up
-- Contract files processed in the background (issue 10): a large file is streamed into parts of
-- at most 256 KB, in the transaction that enqueues the job that reads it; the job stores the
-- contracts (all or nothing) and the result per row, then drops the parts.
CREATE TABLE contractbestanden (
    id            BIGSERIAL PRIMARY KEY,
    school_id     BIGINT NOT NULL REFERENCES scholen (id) ON DELETE CASCADE,
    status        TEXT NOT NULL,
    bytes         BIGINT NOT NULL,
    aantal        INTEGER,
    resultaat     TEXT,
    ontvangen_op  TIMESTAMPTZ NOT NULL,
    verwerkt_op   TIMESTAMPTZ,
    CONSTRAINT contractbestanden_status CHECK (status IN ('ontvangen', 'verwerkt', 'geweigerd')),
    CONSTRAINT contractbestanden_bytes CHECK (bytes BETWEEN 0 AND 10485760),
    CONSTRAINT contractbestanden_resultaat CHECK (resultaat IS NULL OR length(resultaat) <= 8388608)
);
CREATE INDEX contractbestanden_school ON contractbestanden (school_id, id);

CREATE TABLE contractbestand_delen (
    bestand_id BIGINT NOT NULL REFERENCES contractbestanden (id) ON DELETE CASCADE,
    volgnummer INTEGER NOT NULL,
    inhoud     BYTEA NOT NULL,
    PRIMARY KEY (bestand_id, volgnummer),
    CONSTRAINT contractbestand_delen_inhoud CHECK (length(inhoud) BETWEEN 1 AND 262144)
);

-- +goose Down
DROP TABLE contractbestand_delen;
DROP TABLE contractbestanden;

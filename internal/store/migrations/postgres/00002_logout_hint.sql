-- The raw ID token (BSN claim included) is no longer kept: sessions keep at most the token
-- sealed (AES-GCM under a key derived from SESSION_KEY), and only when the provider offers
-- RP-initiated logout. Existing raw tokens are dropped with their column.

-- +goose Up
ALTER TABLE sessies DROP COLUMN id_token_hint;
ALTER TABLE sessies ADD COLUMN logout_hint TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE sessies DROP COLUMN logout_hint;
ALTER TABLE sessies ADD COLUMN id_token_hint TEXT NOT NULL DEFAULT '';

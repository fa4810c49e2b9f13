-- API keys of this service (not the Verilock API's keys that appear in records as api_key_id).
-- Only the SHA-256 digest of a key is stored: keys are 32 random bytes, so a fast digest is as good
-- as a password hash here and lets the guard find a key by an index probe on its digest.
CREATE TABLE "api_keys" (
    "id"         TEXT           NOT NULL,
    "name"       TEXT           NOT NULL,
    "key_hash"   BYTEA          NOT NULL,
    "scopes"     TEXT[]         NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "revoked_at" TIMESTAMPTZ(3),
    CONSTRAINT "api_keys_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "api_keys_scopes_known" CHECK ("scopes" <@ ARRAY['logs:write', 'logs:read', 'admin']::TEXT[])
);

CREATE UNIQUE INDEX "api_keys_key_hash_key" ON "api_keys" ("key_hash");

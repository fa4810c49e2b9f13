-- The support page shows one API key's requests just before and after a given request: an index on
-- (api_key_id, sent_at) makes that two short index range scans per daily partition instead of a
-- scan of every request sent around that time. Created on the partitioned parent, so every existing
-- and future partition gets it.
CREATE INDEX "request_logs_api_key_id_sent_at_idx" ON "request_logs" ("api_key_id", "sent_at");

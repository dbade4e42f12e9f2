-- Hand-written: extensions and helpers the generated schema depends on.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
--> statement-breakpoint
-- array_to_string is only STABLE; a stored generated column needs an IMMUTABLE wrapper.
CREATE OR REPLACE FUNCTION tags_text(text[]) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
  AS $$ SELECT array_to_string($1, ' ') $$;

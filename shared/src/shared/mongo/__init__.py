"""MongoDB helpers: the client factory and the single-document outbox."""

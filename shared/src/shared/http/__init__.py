"""HTTP pieces every service shares: problem details, request ids, health and metrics, the identity header."""

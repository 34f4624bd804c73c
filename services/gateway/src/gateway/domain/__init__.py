"""The gateway's pure rules: keys, access decisions and rate limits (no framework imports)."""

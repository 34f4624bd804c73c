"""The gateway's HTTP surface: its own routes, the proxy and the dashboard."""

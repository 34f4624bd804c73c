"""How a service is served: the one uvicorn configuration of the image, `make up`, the tests and benchmarks.

    python -m shared.runtime.serve gateway.app:create_app --host 0.0.0.0 --port 8000

uvicorn's own proxy-headers layer is off. It would believe `X-Forwarded-For` from 127.0.0.1 (its default)
in front of the gateway's own, which believes only `PULSE_FORWARDED_ALLOW_IPS`; with it on, anything
connecting from the gateway's host could pass as any client address.
"""

from __future__ import annotations

import argparse
from typing import Any, Literal

import uvicorn

GRACEFUL_SHUTDOWN_S = 10  # under Kubernetes' 30 s grace period; the app bounds its own shutdown too


def server_options(*, host: str, port: int, lifespan: Literal["auto", "on", "off"] = "on") -> dict[str, Any]:
    """uvicorn's settings for an app factory given as `module:function` (`uvicorn.run(app, **options)`)."""
    return {
        "factory": True,
        "host": host,
        "port": port,
        "lifespan": lifespan,
        "access_log": False,  # the request middleware logs and counts requests
        "proxy_headers": False,
        "timeout_graceful_shutdown": GRACEFUL_SHUTDOWN_S,
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m shared.runtime.serve", description=__doc__)
    parser.add_argument("app", help="the app factory, as module:function")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--lifespan", choices=("auto", "on", "off"), default="on")
    args = parser.parse_args(argv)
    # uvicorn.run, as its command line does: it exits with status 3 when the app fails to start
    uvicorn.run(args.app, **server_options(host=args.host, port=args.port, lifespan=args.lifespan))


if __name__ == "__main__":
    main()

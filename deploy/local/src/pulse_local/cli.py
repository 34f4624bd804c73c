"""`pulse-local up|down|status|infra`: run Programme Pulse on this machine without Docker."""

from __future__ import annotations

import argparse
import os
import secrets
import sys
from pathlib import Path

from pulse_local import ferretdb, kafka, platform
from pulse_local.process import InfraError
from shared.qr_tokens import generate_keypair


def _state_dir() -> Path:
    return Path(os.environ.get("PULSE_STATE_DIR", ".pulse/dev")).resolve()


def up(layout: platform.Layout) -> None:
    infra = platform.start_infra(layout)
    env = platform.service_env(layout, infra, platform.admin_key(layout), platform.qr_keypair(layout))
    platform.start_services(layout, env)
    platform.wait_ready(layout)
    print()
    print(f"Programme Pulse is up. Dashboard and API: {layout.url('gateway')}/")
    print(f"  API docs:   {layout.url('gateway')}/docs")
    print(f"  Door app:   {layout.url('gateway')}/door/  (organisers make its set-up code at /door/setup)")
    print(f"  Admin key:  {env['PULSE_ADMIN_KEY']}  (send as 'Authorization: Bearer <key>')")
    print(
        f"  Logs:       {layout.state_dir}/services/*.log, {layout.state_dir}/kafka, {layout.state_dir}/ferretdb"
    )
    print("  Stop with:  make down")


def down(layout: platform.Layout) -> None:
    platform.stop_services(layout)
    platform.stop_infra(layout)
    print("Programme Pulse stopped; data is kept in", layout.state_dir)


def status(layout: platform.Layout) -> None:
    for name, proc in [
        ("kafka", kafka.process(layout.kafka)),
        ("ferretdb", ferretdb.process(layout.ferret)),
        *[(s, layout.service_process(s)) for s in platform.SERVICES],
    ]:
        pid = proc.pid()
        print(f"{name:13} {'running (pid ' + str(pid) + ')' if pid else 'stopped'}")


def infra(layout: platform.Layout) -> None:
    found = platform.start_infra(layout)
    print(f"KAFKA_BOOTSTRAP={found.kafka_bootstrap}")
    print(f"MONGO_URL={found.mongo_url}")


def keys(layout: platform.Layout) -> None:
    """Fresh secrets for a compose deployment, as lines for a .env file: everything docker-compose.yml requires."""
    qr_private, qr_public = generate_keypair()
    principal_private, principal_public = generate_keypair()
    lines = {
        "PULSE_ADMIN_KEY": f"pulse_admin_{secrets.token_urlsafe(32)}",
        "PULSE_QR_PRIVATE_KEY": qr_private,  # registration signs QR tokens
        "PULSE_QR_PUBLIC_KEY": qr_public,  # events (and the gateway's door) verify them
        "PULSE_PRINCIPAL_PRIVATE_KEY": principal_private,  # the gateway signs the principal it forwards
        "PULSE_PRINCIPAL_PUBLIC_KEY": principal_public,  # the services verify it
        "KAFKA_CLUSTER_ID": kafka.new_cluster_id(),
        **{f"KAFKA_{s.upper()}_PASSWORD": secrets.token_urlsafe(24) for s in platform.SERVICES},
        "MONGO_ROOT_PASSWORD": secrets.token_urlsafe(24),
        **{f"MONGO_{s.upper()}_PASSWORD": secrets.token_urlsafe(24) for s in platform.SERVICES},
        "GRAFANA_ADMIN_PASSWORD": secrets.token_urlsafe(18),
    }
    for name, value in lines.items():
        print(f"{name}={value}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="pulse-local", description=__doc__)
    parser.add_argument("command", choices=["up", "down", "status", "infra", "keys"])
    args = parser.parse_args(argv)
    layout = platform.Layout.from_env(_state_dir())
    try:
        {"up": up, "down": down, "status": status, "infra": infra, "keys": keys}[args.command](layout)
    except InfraError as exc:
        print(f"error: {exc}", file=sys.stderr)
        raise SystemExit(1) from None
    except KeyboardInterrupt:
        raise SystemExit(130) from None


if __name__ == "__main__":
    main()

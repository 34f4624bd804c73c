"""The door app: an offline-first check-in web app for phones at /door/, and its organiser's set-up page.

Plain static files (no build step) beside this module in static/door; the QR reader and writer are
zxing-wasm's own built files, installed by `make door` and served from `door_scanner_dir`.
"""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path

from fastapi import APIRouter
from fastapi.responses import FileResponse, JSONResponse, Response

from gateway.domain.errors import NotFound, QrReaderMissing, QrVerificationNotConfigured
from gateway.routes.dependencies import GatewayDep

APP_DIR = Path(__file__).parent / "static" / "door"
_NO_CACHE = {"Cache-Control": "no-cache"}
# The only zxing-wasm files the app loads: the reader for door devices, the writer for the set-up page.
SCANNER_FILES = {
    "reader.js": "iife/reader/index.js",
    "zxing_reader.wasm": "reader/zxing_reader.wasm",
    "writer.js": "iife/writer/index.js",
    "zxing_writer.wasm": "writer/zxing_writer.wasm",
}
_VERSION_MARK = "__DOOR_VERSION__"

router = APIRouter(prefix="/door", include_in_schema=False)


@router.get("/")
async def door_app() -> FileResponse:
    return FileResponse(APP_DIR / "index.html", headers=_NO_CACHE)


@router.get("/setup")
async def setup_page() -> FileResponse:
    return FileResponse(APP_DIR / "setup.html", headers=_NO_CACHE)


@router.get("/manifest.webmanifest")
async def manifest() -> FileResponse:
    return FileResponse(APP_DIR / "manifest.webmanifest", media_type="application/manifest+json")


@router.get("/sw.js")
async def service_worker(gateway: GatewayDep) -> Response:
    """The service worker, stamped with a hash of every file it caches: any change installs a new one."""
    source = (APP_DIR / "sw.js").read_text()
    version = shell_version(APP_DIR, gateway.settings.door_scanner_dir)
    return Response(source.replace(_VERSION_MARK, version), media_type="text/javascript", headers=_NO_CACHE)


@router.get("/config.json")
async def door_config(gateway: GatewayDep) -> JSONResponse:
    """What a door device needs to verify QR tokens offline: the public key (it is public)."""
    key = gateway.settings.qr_public_key
    if not key:
        raise QrVerificationNotConfigured()
    return JSONResponse({"qr_public_key": key}, headers=_NO_CACHE)


@router.get("/scanner/{name}")
async def scanner_file(name: str, gateway: GatewayDep) -> FileResponse:
    """One of zxing-wasm's built files, as installed from the npm registry with locked versions."""
    relative = SCANNER_FILES.get(name)
    if relative is None:
        raise NotFound(f"No such scanner file: {name}")
    path = gateway.settings.door_scanner_dir / relative
    if not path.is_file():
        raise QrReaderMissing()
    return FileResponse(path, headers=_NO_CACHE)


@cache
def shell_version(app_dir: Path, scanner_dir: Path) -> str:
    """A short hash of the app's files and the scanner files it loads (computed once per process)."""
    digest = hashlib.sha256()
    files = sorted(app_dir.iterdir()) + [scanner_dir / relative for relative in SCANNER_FILES.values()]
    for path in files:
        if path.is_file():
            digest.update(path.name.encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]

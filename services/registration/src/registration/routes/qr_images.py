"""QR code images of check-in tokens."""

from __future__ import annotations

import io

import segno


def _image(token: str, kind: str) -> bytes:
    buffer = io.BytesIO()
    # Error level M survives a scuffed printout while keeping a ~200-character token scannable.
    segno.make(token, error="m", micro=False).save(buffer, kind=kind, scale=4, border=4)
    return buffer.getvalue()


def qr_svg(token: str) -> bytes:
    return _image(token, "svg")


def qr_png(token: str) -> bytes:
    return _image(token, "png")

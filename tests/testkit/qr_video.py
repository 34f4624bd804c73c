"""Camera input for browser tests: QR codes as a Y4M video that Chromium's fake capture device plays in a loop.

Chromium reads `--use-file-for-fake-video-capture=<file.y4m>` when a page opens the camera; each code is held
for a number of frames, and `None` is an empty (white) view between codes.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import segno

SIDE = 400  # pixels; a ~240-character token (QR version 11, 69 modules with its quiet zone) gets 5 per module
FPS = 5
WHITE, BLACK, NO_COLOUR = 255, 0, 128


def _luma(text: str | None) -> bytes:
    """One frame's brightness plane: the code centred on white, with its quiet zone."""
    if text is None:
        return bytes([WHITE]) * (SIDE * SIDE)
    rows = list(segno.make(text, error="m", micro=False).matrix_iter(scale=1, border=4))
    scale = SIDE // len(rows)
    margin = (SIDE - scale * len(rows)) // 2
    blank_row = bytes([WHITE]) * SIDE
    plane = [blank_row] * margin
    for row in rows:
        pixels = bytes([WHITE]) * margin + b"".join(bytes([BLACK if dark else WHITE]) * scale for dark in row)
        plane += [pixels.ljust(SIDE, bytes([WHITE]))] * scale
    plane += [blank_row] * (SIDE - len(plane))
    return b"".join(plane)


def write_y4m(path: Path, shots: Sequence[tuple[str | None, float]]) -> Path:
    """A greyscale 4:2:0 video of (code or None, seconds shown) shots."""
    chroma = bytes([NO_COLOUR]) * (SIDE * SIDE // 2)
    frames: dict[str | None, bytes] = {}
    with path.open("wb") as out:
        out.write(f"YUV4MPEG2 W{SIDE} H{SIDE} F{FPS}:1 Ip A1:1 C420jpeg\n".encode())
        for text, seconds in shots:
            if text not in frames:
                frames[text] = b"FRAME\n" + _luma(text) + chroma
            out.write(frames[text] * max(1, round(seconds * FPS)))
    return path

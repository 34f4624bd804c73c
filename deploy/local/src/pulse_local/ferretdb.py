"""Build FerretDB v1 (MongoDB wire protocol over SQLite) from the Go module proxy and run it locally."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import socket
import struct
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from pulse_local.process import InfraError, ManagedProcess, cache_dir, private_dir, require_port_free

VERSION = "v1.24.2"
MODULE = "github.com/FerretDB/FerretDB"
HOST = "127.0.0.1"
SOURCE_DIR = Path(__file__).resolve().parents[2] / "ferretdb"
_SOURCE_FILES = ("go.mod", "go.sum", "main.go", "pushdown.go.in")
# Our own Go files added to FerretDB's packages, as (file in SOURCE_DIR, path in the module).
_ADDED_FILES = (("pushdown.go.in", "internal/backends/sqlite/pushdown.go"),)

# Fixes applied to a copy of the module source before building, as (file, old text, new text); each
# replaces every occurrence of its old text.
_PATCHES: tuple[tuple[str, str, str], ...] = (
    # Lookups by _id used '$._id' while the _id index is on '_id', so every find, update and
    # delete by _id scanned the whole table (~40 upserts/s at 10,000 documents).
    (
        "internal/backends/sqlite/metadata/metadata.go",
        """IDColumn = DefaultColumn + "->'$._id'\"""",
        """IDColumn = DefaultColumn + "->'_id'\"""",
    ),
    # The update command kept every statement's cursor open until the end, so a batch of 100
    # updates of existing documents used up SQLite's 100 connections and hung that database.
    (
        "internal/handler/msg_update.go",
        "\t\tcloser := iterator.NewMultiCloser()\n\t\tdefer closer.Close()\n",
        "\t\tcloser := iterator.NewMultiCloser()\n",
    ),
    (
        "internal/handler/msg_update.go",
        '\t\tresult, err := common.UpdateDocument(ctx, c, "update", iter, &u)\n',
        '\t\tresult, err := common.UpdateDocument(ctx, c, "update", iter, &u)\n\t\tcloser.Close()\n',
    ),
    # update and findAndModify read a document, change it in Go and write it back with no lock,
    # so concurrent $inc on one document lost updates (1,830 of 2,000 counted); serialize them.
    (
        "internal/handler/msg_update.go",
        '\t"context"\n\t"fmt"\n',
        '\t"context"\n\t"fmt"\n\t"sync"\n',
    ),
    (
        "internal/handler/msg_update.go",
        "// MsgUpdate implements `update` command.\n",
        "var writeMu sync.Mutex\n\n// MsgUpdate implements `update` command.\n",
    ),
    (
        "internal/handler/msg_update.go",
        "MsgUpdate(connCtx context.Context, msg *wire.OpMsg) (*wire.OpMsg, error) {\n",
        "MsgUpdate(connCtx context.Context, msg *wire.OpMsg) (*wire.OpMsg, error) {\n"
        "\twriteMu.Lock()\n\tdefer writeMu.Unlock()\n\n",
    ),
    (
        "internal/handler/msg_findandmodify.go",
        "MsgFindAndModify(connCtx context.Context, msg *wire.OpMsg) (*wire.OpMsg, error) {\n",
        "MsgFindAndModify(connCtx context.Context, msg *wire.OpMsg) (*wire.OpMsg, error) {\n"
        "\twriteMu.Lock()\n\tdefer writeMu.Unlock()\n\n",
    ),
    # Only a filter of exactly {_id: value} used an index; every other query scanned the whole table.
    # pushdown.go.in narrows by equality and $in on any indexed top-level field (including _id).
    (
        "internal/backends/sqlite/collection.go",
        "\tif params.Filter.Len() == 1 {\n"
        '\t\tv, _ := params.Filter.Get("_id")\n'
        "\t\tswitch v.(type) {\n"
        "\t\tcase string, types.ObjectID:\n"
        "\t\t\twhereClause = fmt.Sprintf(` WHERE %s = ?`, metadata.IDColumn)\n"
        "\t\t\targs = []any{string(must.NotFail(sjson.MarshalSingleValue(v)))}\n"
        "\t\t}\n"
        "\t}\n\n"
        "\tq += whereClause\n",
        "\twhereClause, args = pushdownWhere(params.Filter)\n\n\tq += whereClause\n",
    ),
    # Each modified document was written in a transaction of its own (~1 ms each, so clearing the
    # outbox of 500 documents took 0.5 s); they are written in batches of up to 1,000, one transaction
    # each, flushed before any return so that an error keeps the earlier documents' changes as before.
    (
        "internal/handler/common/update.go",
        '\tisFindAndModify := (strings.ToLower(cmd) == "findandmodify")\n\n\tfor {\n',
        '\tisFindAndModify := (strings.ToLower(cmd) == "findandmodify")\n\n'
        "\tvar pending []*types.Document\n"
        "\tflush := func() error {\n"
        "\t\tif len(pending) == 0 {\n\t\t\treturn nil\n\t\t}\n"
        "\t\t_, err := c.UpdateAll(ctx, &backends.UpdateAllParams{Docs: pending})\n"
        "\t\tpending = nil\n\t\treturn err\n\t}\n"
        "\tdefer flush() //nolint:errcheck // error paths: best effort, as the per-document writes were\n\n"
        "\tfor {\n",
    ),
    (
        "internal/handler/common/update.go",
        "\t\t\tif !upsert {\n\t\t\t\treturn result, nil\n\t\t\t}\n",
        "\t\t\tif !upsert {\n"
        "\t\t\t\tif err = flush(); err != nil {\n\t\t\t\t\treturn nil, lazyerrors.Error(err)\n\t\t\t\t}\n"
        "\t\t\t\treturn result, nil\n\t\t\t}\n",
    ),
    (
        "internal/handler/common/update.go",
        "\t\t} else if modified {\n"
        "\t\t\t_, err := c.UpdateAll(ctx, &backends.UpdateAllParams{Docs: []*types.Document{doc}})\n"
        "\t\t\tif err != nil {\n",
        "\t\t} else if modified {\n"
        "\t\t\tpending = append(pending, doc)\n"
        "\t\t\tif len(pending) < 1000 {\n\t\t\t\terr = nil\n\t\t\t} else {\n\t\t\t\terr = flush()\n\t\t\t}\n"
        "\t\t\tif err != nil {\n",
    ),
    # Every SQL statement built two loggers with its arguments (whole documents, 10,000-value $in lists)
    # formatted as text, even with debug logging off: 10% of FerretDB's CPU while ingesting; inserting an
    # attendance document 0.37 -> 0.27 ms. Arguments given to DebugContext are formatted only when enabled.
    *(
        (f"internal/util/fsql/{name}", old, new)
        for name in ("db.go", "tx.go")
        for old, new in (
            ('\t"fmt"\n', ""),
            (
                '.l.With(fields...).DebugContext(ctx, fmt.Sprintf(">>> %s", query))',
                '.l.DebugContext(ctx, ">>> "+query, fields...)',
            ),
            (
                '.l.With(fields...).DebugContext(ctx, fmt.Sprintf("<<< %s", query))',
                '.l.DebugContext(ctx, "<<< "+query, fields...)',
            ),
        )
    ),
    # $in and $nin compared a document's value with each listed value through the generic types.Compare,
    # per document: a lookup of 10,000 ids by $in took 4.5 s of CPU (1.2 s as ten lookups of 1,000). A
    # string field against a string is compared directly; Compare's result for two strings is the same.
    (
        "internal/handler/common/filter.go",
        "\t\t\t\tdefault:\n\t\t\t\t\tresult := types.Compare(fieldValue, arrValue)\n",
        "\t\t\t\tcase string:\n"
        "\t\t\t\t\tif s, ok := fieldValue.(string); ok {\n"
        "\t\t\t\t\t\tfound = s == arrValue\n"
        "\t\t\t\t\t} else if types.Compare(fieldValue, arrValue) == types.Equal {\n"
        "\t\t\t\t\t\tfound = true\n"
        "\t\t\t\t\t}\n"
        "\t\t\t\tdefault:\n\t\t\t\t\tresult := types.Compare(fieldValue, arrValue)\n",
    ),
    # A delete by {_id: value} read the document and decoded it only to find the _id it was given: the
    # batch outbox's intents (~1 MB each) cost ~40 ms to delete. Such a filter matches exactly the document
    # with that _id (the same fast path find already had), so it is deleted without reading it.
    (
        "internal/handler/msg_delete.go",
        "func (h *Handler) execDelete(ctx context.Context, c backends.Collection, p *common.Delete) (int32, error) {\n",
        "func (h *Handler) execDelete(ctx context.Context, c backends.Collection, p *common.Delete) (int32, error) {\n"
        "\tif p.Filter.Len() == 1 {\n"
        '\t\tif id, _ := p.Filter.Get("_id"); id != nil {\n'
        "\t\t\tswitch id.(type) {\n"
        "\t\t\tcase string, types.ObjectID:\n"
        "\t\t\t\td, err := c.DeleteAll(ctx, &backends.DeleteAllParams{IDs: []any{id}})\n"
        "\t\t\t\tif err != nil {\n\t\t\t\t\treturn 0, lazyerrors.Error(err)\n\t\t\t\t}\n\n"
        "\t\t\t\treturn d.Deleted, nil\n"
        "\t\t\t}\n\t\t}\n\t}\n\n",
    ),
    # Every document iterator was registered in a pprof profile with its stack trace, and given a
    # finalizer that panics if it was never closed: a leak detector for FerretDB's own tests, 27% of its
    # CPU when finding documents (~40 us per document read). Kept in debug builds only, as its stack was.
    (
        "internal/util/resource/resource.go",
        "\tcheckArgs(obj, token)\n",
        "\tcheckArgs(obj, token)\n\n\tif !debugbuild.Enabled {\n\t\treturn\n\t}\n",
    ),
    # An insert was written in transactions of 100 documents, each committed (and the WAL synced) on its
    # own; 1,000 (the services' slice) per transaction.
    (
        "ferretdb/ferretdb.go",
        "\t\t\tBatchSize:               100,\n",
        "\t\t\tBatchSize:               1000,\n",
    ),
    # An update kept its read open until its writes had committed, so the checkpoint at that commit could not
    # copy the new pages into the database file (nor the write-ahead log start again): an erased name stayed
    # on disk until some later write. The documents are all read by then, so the read ends first.
    (
        "internal/handler/common/update.go",
        "\t\t\tif !errors.Is(err, iterator.ErrIteratorDone) {\n"
        "\t\t\t\treturn nil, lazyerrors.Error(err)\n"
        "\t\t\t}\n\n"
        "\t\t\tif result.Matched.Count == 0 && param.Upsert {\n",
        "\t\t\tif !errors.Is(err, iterator.ErrIteratorDone) {\n"
        "\t\t\t\treturn nil, lazyerrors.Error(err)\n"
        "\t\t\t}\n\n"
        "\t\t\titer.Close()\n\n"
        "\t\t\tif result.Matched.Count == 0 && param.Upsert {\n",
    ),
    # $group shared one iterator between its accumulators, so all but the first one saw no documents.
    (
        "internal/handler/common/aggregations/stages/group.go",
        "\t\tgroupIter := iterator.Values(iterator.ForSlice(groupedDocument.documents))\n"
        "\t\tdefer groupIter.Close()\n\n"
        "\t\tfor _, accumulation := range g.groupBy {\n"
        "\t\t\tout, err := accumulation.accumulator.Accumulate(groupIter)\n",
        "\t\tfor _, accumulation := range g.groupBy {\n"
        "\t\t\tgroupIter := iterator.Values(iterator.ForSlice(groupedDocument.documents))\n"
        "\t\t\tout, err := accumulation.accumulator.Accumulate(groupIter)\n"
        "\t\t\tgroupIter.Close()\n",
    ),
)


# How FerretDB opens each database's SQLite file: `_pragma` URL parameters, applied on every connection
# (FerretDB adds busy_timeout and journal_mode(wal) only when they are not given; it needs WAL, as its
# updates read on one connection while writing on another). An erased participant's name must survive in no
# file (docs/privacy.md, Secure delete): secure_delete zeroes deleted content; a checkpoint at every commit
# copies the new pages into the database file at once, and journal_size_limit(0) cuts the write-ahead log
# back to the latest transaction, so no older page image stays in it. With synchronous(normal) those
# checkpoints' fsyncs made single writes 2-10x slower (bench/ferretdb_secure_delete.py); synchronous(off)
# leaves the syncing to the OS: a killed FerretDB loses nothing, only an OS crash or power cut can damage the
# local database, which then has to be started afresh (docs/operations.md).
SQLITE_PRAGMAS = "&".join(
    f"_pragma={pragma}"
    for pragma in (
        "busy_timeout(10000)",
        "journal_mode(wal)",
        "secure_delete(on)",
        "wal_autocheckpoint(1)",
        "journal_size_limit(0)",
        "synchronous(off)",
    )
)


@dataclass(frozen=True)
class FerretConfig:
    state_dir: Path
    port: int = 27017

    @property
    def data_dir(self) -> Path:
        return self.state_dir / "ferretdb-data"

    @property
    def uri(self) -> str:
        # FerretDB v1 has no retryable writes: the services' writes are idempotent instead.
        return f"mongodb://{HOST}:{self.port}/?retryWrites=false"


def process(config: FerretConfig) -> ManagedProcess:
    return ManagedProcess("ferretdb", config.state_dir)


def ensure_built() -> Path:
    """The FerretDB binary, built once per version of its Go sources and patches, then reused."""
    digest = hashlib.sha256(repr(_PATCHES).encode())
    for name in _SOURCE_FILES:
        try:
            digest.update((SOURCE_DIR / name).read_bytes())
        except FileNotFoundError:
            raise InfraError(
                f"FerretDB's Go sources are missing at {SOURCE_DIR / name}; restore them from git."
            ) from None
    out_dir = cache_dir() / f"ferretdb-{VERSION}-{digest.hexdigest()[:12]}"
    binary = out_dir / "ferretdb"
    if binary.exists():
        return binary

    go = shutil.which("go")
    if go is None:
        raise InfraError("Go is not installed or not on PATH; install Go 1.24 or newer to build FerretDB.")
    out_dir.mkdir(parents=True, exist_ok=True)
    log_file = out_dir / "build.log"
    print(f"Building FerretDB {VERSION} with Go (first run only, ~3 min)...", flush=True)
    # The SQLite driver is pure Go, so no C compiler is needed; workspace mode refuses -mod=mod.
    env = {**os.environ, "CGO_ENABLED": "0", "GOFLAGS": "-buildvcs=false", "GOWORK": "off"}
    with (
        log_file.open("wb") as log,
        tempfile.TemporaryDirectory(dir=out_dir, ignore_cleanup_errors=True) as work,
    ):
        source = _patched_source(go, Path(work), env, log)
        log.flush()
        if source is None:
            raise InfraError(f"Fetching or patching FerretDB's source failed; see {log_file}.")
        result = subprocess.run(
            [go, "build", "-o", str(out_dir / "ferretdb.partial"), "."],
            cwd=SOURCE_DIR,
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            env={**env, "GOWORK": str(source)},
        )
    if result.returncode != 0:
        raise InfraError(f"Building FerretDB failed; see {log_file}.")
    (out_dir / "ferretdb.partial").replace(binary)  # a build that was cut short never looks finished
    return binary


def _patched_source(go: str, work: Path, env: dict[str, str], log: IO[bytes]) -> Path | None:
    """Copy FerretDB's module into work, patch it, and return a go.work that builds main.go against it."""
    download = subprocess.run(
        [go, "mod", "download", "-json", f"{MODULE}@{VERSION}"],
        cwd=SOURCE_DIR,
        capture_output=True,
        stdin=subprocess.DEVNULL,
        env=env,
    )
    log.write(download.stdout + download.stderr)
    if download.returncode != 0:
        return None
    module = work / "FerretDB"
    shutil.copytree(json.loads(download.stdout)["Dir"], module, copy_function=shutil.copyfile)
    for path in [module, *module.rglob("*")]:
        path.chmod(0o755 if path.is_dir() else 0o644)  # the module cache is read-only
    for name, old, new in _PATCHES:
        text = (module / name).read_text()
        if old not in text:
            log.write(f"patch for {name} does not apply: {old!r}\n".encode())
            return None
        (module / name).write_text(text.replace(old, new))  # every occurrence
    for ours, theirs in _ADDED_FILES:
        shutil.copyfile(SOURCE_DIR / ours, module / theirs)
    go_work = work / "go.work"
    go_work.write_text(f"go 1.24\n\nuse (\n\t{json.dumps(str(module))}\n\t{json.dumps(str(SOURCE_DIR))}\n)\n")
    return go_work


def start(config: FerretConfig, timeout: float = 60) -> str:
    """Start FerretDB unless it already runs, wait until it answers a ping, and return its URI."""

    def before_start() -> None:
        require_port_free(HOST, config.port, "FerretDB")
        private_dir(config.data_dir)

    process(config).ensure_started(
        lambda: [
            str(ensure_built()),
            "-listen-addr",
            f"{HOST}:{config.port}",
            "-sqlite-url",
            f"file:{config.data_dir}/?{SQLITE_PRAGMAS}",
        ],
        lambda: ping(config.port),
        timeout,
        f"ready on port {config.port}",
        before_start=before_start,
        # At Go's default GOGC=100 its collector took ~10% of FerretDB's CPU while ingesting; 400
        # measured 10-15% less CPU per inserted or updated document for ~75 MB more peak memory.
        # A GOGC set in the environment wins.
        env={"GOGC": os.environ.get("GOGC", "400")},
    )
    return config.uri


def stop(config: FerretConfig) -> None:
    process(config).stop()


def ping(port: int, host: str = HOST, timeout: float = 1.0) -> bool:
    """True when a MongoDB-wire server on host:port answers {ping: 1} with ok: 1."""
    try:
        with socket.create_connection((host, port), timeout=timeout) as sock:
            sock.sendall(_op_msg(_bson_ping()))
            header = _recv_exact(sock, 16)
            (length,) = struct.unpack_from("<i", header)
            body = _recv_exact(sock, length - 16)
    except OSError:
        return False
    return b"\x01ok\x00" + struct.pack("<d", 1.0) in body


def _bson_ping() -> bytes:
    db = b"admin\x00"
    elements = b"\x10ping\x00" + struct.pack("<i", 1) + b"\x02$db\x00" + struct.pack("<i", len(db)) + db
    return struct.pack("<i", 4 + len(elements) + 1) + elements + b"\x00"


def _op_msg(document: bytes) -> bytes:
    payload = struct.pack("<I", 0) + b"\x00" + document  # flagBits, then one section of kind 0
    return struct.pack("<iiii", 16 + len(payload), 1, 0, 2013) + payload


def _recv_exact(sock: socket.socket, size: int) -> bytes:
    data = b""
    while len(data) < size:
        chunk = sock.recv(size - len(data))
        if not chunk:
            raise ConnectionError("connection closed mid-reply")
        data += chunk
    return data

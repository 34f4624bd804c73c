# One image per service, holding only that service's packages:
#   docker build --build-arg SERVICE=events --target service -t programme-pulse-events .
#   docker build --build-arg SERVICE=metrics --target metrics -t programme-pulse-metrics .   (with the PDF's pango)
#   docker build --build-arg SERVICE=gateway -t programme-pulse-gateway .   (the last stage: with the door app)
# (docker compose builds all four.) tests/ops/test_image.py assembles what the install stage copies and
# runs its install step, so this file and the uv workspace cannot drift apart.
ARG PYTHON_IMAGE=python:3.11-slim

# install: the service's locked dependencies and the workspace packages it uses, into /app/.venv
FROM ${PYTHON_IMAGE} AS install
ENV UV_COMPILE_BYTECODE=1 UV_LINK_MODE=copy UV_PYTHON_DOWNLOADS=never
RUN pip install --no-cache-dir uv==0.13.9
WORKDIR /app
ARG SERVICE=gateway
COPY pyproject.toml uv.lock ./
COPY shared ./shared
COPY services/${SERVICE} ./services/${SERVICE}
# Non-editable: the environment holds the code, so the runtime stage needs nothing else from the tree.
RUN uv sync --frozen --no-dev --no-editable --package pulse-${SERVICE}

# service: the environment alone, run as an unprivileged user with a numeric uid (runAsNonRoot can check it)
FROM ${PYTHON_IMAGE} AS service
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
RUN useradd --system --no-create-home --uid 10001 pulse
COPY --from=install /app/.venv /app/.venv
WORKDIR /app
USER 10001
ARG SERVICE=gateway
ENV PATH=/app/.venv/bin:$PATH SERVICE=${SERVICE} PORT=8000
EXPOSE 8000
# shared.runtime.serve: the uvicorn settings every launch of a service shares (make up, tests, benchmarks)
CMD ["sh", "-c", "exec python -m shared.runtime.serve ${SERVICE}.app:create_app --host 0.0.0.0 --port ${PORT}"]

# metrics: the service stage plus the system libraries WeasyPrint loads for the report's PDF (docs/report.md)
FROM service AS metrics
USER root
RUN apt-get update \
 && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core \
 && rm -rf /var/lib/apt/lists/*
USER 10001

# door: the door app's QR reader (zxing-wasm), from the npm registry at the versions package-lock.json holds
FROM node:20-slim AS door
WORKDIR /web
COPY services/gateway/web/package.json services/gateway/web/package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts

# gateway: the service stage plus the QR reader its door app serves (docs/door.md)
FROM service AS gateway
COPY --from=door /web/node_modules/zxing-wasm/dist /app/door-scanner
ENV PULSE_DOOR_SCANNER_DIR=/app/door-scanner

# One image for all four services; SERVICE chooses which app uvicorn runs.
FROM python:3.11-slim AS base
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 UV_COMPILE_BYTECODE=1 UV_LINK_MODE=copy
RUN pip install --no-cache-dir uv==0.13.9
WORKDIR /app
COPY pyproject.toml uv.lock ./
COPY shared ./shared
COPY deploy/local ./deploy/local
COPY services ./services
RUN uv sync --frozen --no-dev
RUN useradd --system --uid 10001 pulse
USER pulse
ENV PATH=/app/.venv/bin:$PATH SERVICE=gateway PORT=8000
EXPOSE 8000
CMD ["sh", "-c", "exec uvicorn ${SERVICE}.app:create_app --factory --host 0.0.0.0 --port ${PORT} --no-access-log --timeout-graceful-shutdown 10"]

# Cruxbot: one image for `cruxbot serve` (Discord and/or Slack), the console and maintenance.
#
#   docker build -t cruxbot .
#   docker run --env-file .env -v cruxbot-data:/data -p 8080:8080 cruxbot serve slack
#
# BASE can be any Debian-like image with python3 (3.11 or newer) and its venv module.
ARG BASE=python:3.12-slim

# --- build: install Cruxbot and its pinned dependencies into a virtualenv ---------------
FROM ${BASE} AS build
WORKDIR /src
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1
RUN python3 -m venv /opt/cruxbot
COPY pyproject.toml constraints.txt README.md alembic.ini ./
COPY bot ./bot
COPY adapters ./adapters
COPY cruxbot ./cruxbot
COPY migrations ./migrations
# The project's own pins (constraints.txt), a regular (not editable) install, with the
# client for an embedding provider (used only when CRUXBOT_EMBEDDINGS_URL is set).
RUN /opt/cruxbot/bin/python3 -m pip install --constraint constraints.txt ".[embeddings]" \
    && /opt/cruxbot/bin/cruxbot --version

# --- runtime: the virtualenv, Graphviz for /map, a non-root user, data in /data ---------
FROM ${BASE}
# Graphviz's `dot` draws the argument maps; the version is the base distribution's.
# hadolint ignore=DL3008
RUN apt-get update \
    && apt-get install -y --no-install-recommends graphviz \
    && rm -rf /var/lib/apt/lists/* \
    && groupadd --system --gid 10001 cruxbot \
    && useradd --system --uid 10001 --gid cruxbot --home-dir /data --no-create-home \
        --shell /usr/sbin/nologin cruxbot \
    && mkdir -p /data \
    && chown cruxbot:cruxbot /data
COPY --from=build /opt/cruxbot /opt/cruxbot

# Settings come from the environment at run time (see .env.example); no secrets here.
ENV PATH=/opt/cruxbot/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    XDG_DATA_HOME=/data \
    DATABASE_URL=sqlite:////data/cruxbot.db \
    HOST=0.0.0.0 \
    PORT=8080

USER 10001:10001
WORKDIR /data
VOLUME ["/data"]
EXPOSE 8080

# 200 while the database answers and every adapter is connected; 503 otherwise.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python3", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:%s/healthz' % os.environ.get('PORT', '8080'), timeout=4)"]

# Exec form: the bot is PID 1 and gets SIGTERM itself, finishes its work, exits 0.
# `serve` brings the database schema up to date before it starts the adapters.
ENTRYPOINT ["/opt/cruxbot/bin/cruxbot"]
CMD ["serve"]

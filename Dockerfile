# nnbot: a Telegram bot that teaches neural networks. Build: docker compose build
# Two stages: the first installs the project into a virtual environment, the second copies
# only that environment onto a clean slim image, so no pip cache, sources or build tools remain.

FROM python:3.12-slim-bookworm AS build
ENV PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1
RUN python -m venv /opt/nnbot
WORKDIR /src
COPY pyproject.toml README.md ./
COPY nncore ./nncore
COPY bot ./bot
# Non-editable, exactly what .ci/docker-install-check proves on every CI run.
# EXTRAS=postgres,queue adds the distributed backends (docker-compose.scale.yml sets it).
ARG EXTRAS=""
RUN /opt/nnbot/bin/pip install --no-cache-dir ".${EXTRAS:+[$EXTRAS]}" \
    && /opt/nnbot/bin/pip uninstall --yes pip

FROM python:3.12-slim-bookworm
LABEL org.opencontainers.image.title="nnbot" \
      org.opencontainers.image.description="A Telegram bot that teaches neural networks, built from scratch in NumPy"
ENV PATH=/opt/nnbot/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    MPLBACKEND=Agg \
    MPLCONFIGDIR=/tmp/matplotlib \
    HOME=/tmp \
    DATA_DIR=/data
RUN groupadd --system --gid 10001 nnbot \
    && useradd --system --uid 10001 --gid nnbot --no-create-home --home-dir /nonexistent \
       --shell /usr/sbin/nologin nnbot \
    && mkdir /data \
    && chown nnbot:nnbot /data
COPY --from=build /opt/nnbot /opt/nnbot
USER 10001:10001
WORKDIR /data
VOLUME /data
# The bot touches $DATA_DIR/heartbeat every 30 s while the Bot API answers and updates flow;
# healthy = touched within the last 2 minutes.
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
    CMD ["/bin/sh", "-c", "test -n \"$(find \"$DATA_DIR/heartbeat\" -mmin -2 2>/dev/null)\""]
# Exec form, so SIGTERM from `docker stop` reaches the bot, which stops trainings, tells
# their chats and flushes its state (docker-compose.yml adds `init: true` to reap workers).
ENTRYPOINT ["nnbot"]
CMD ["run"]

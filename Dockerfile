# trainer-qa: the service on the embedded default model, with the index baked into the image.
# (No Docker engine runs on our development machines; this file is kept simple and is not
# exercised by CI.)
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 \
    TRAINERQA_HOST=0.0.0.0 TRAINERQA_PORT=8000 TRAINERQA_REBUILD=never
WORKDIR /app

# gcc: PyStemmer and jieba build from source on some platforms.
RUN apt-get update && apt-get install -y --no-install-recommends gcc libgomp1 \
    && rm -rf /var/lib/apt/lists/*

COPY pyproject.toml constraints.txt README.md ./
COPY index/ index/
COPY answer/ answer/
COPY service/ service/
COPY eval/ eval/
RUN pip install -c constraints.txt .

COPY corpus/ corpus/
# Build the index at image build time; the service then refuses a stale one (REBUILD=never).
RUN python -m index build --corpus corpus --index var/index

RUN useradd --create-home --uid 1000 trainerqa && chown -R trainerqa /app
USER trainerqa
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=3s CMD python -c "import urllib.request,sys; urllib.request.urlopen('http://127.0.0.1:8000/readyz')" || exit 1
CMD ["python", "-m", "service"]

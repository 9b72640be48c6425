"""Configuration from TRAINERQA_* environment variables (or a .env file), validated at start."""

from pathlib import Path

from pydantic import AliasChoices, Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

from answer.config import EngineConfig
from answer.generation.config import GeneratorConfig


class Settings(BaseSettings, EngineConfig, GeneratorConfig):
    """Every knob of the service; see the README's configuration table. The index's own knobs
    (corpus, index folder, embedder, chunking; abstention, cache) come from EngineConfig, the
    optional answer generator's (TRAINERQA_GENERATOR...) from GeneratorConfig."""

    # populate_by_name: the renamed rate settings keep their old variable names as aliases.
    model_config = SettingsConfigDict(env_prefix="TRAINERQA_", env_file=".env", extra="ignore", populate_by_name=True)

    sync_seconds: float = Field(5.0, gt=0, description="how often to look for corpus changes made elsewhere")
    host: str = "127.0.0.1"
    port: int = Field(8000, ge=1, le=65535)
    cors_origins: list[str] = []
    feedback_db: Path = Path("var/feedback.sqlite3")
    log_questions: bool = Field(True, description="log every answered question for the review dashboard")
    question_log_days: int = Field(90, ge=1, description="days a logged question is kept")
    # Review (issue 10)
    reviewed_gold: Path = Field(
        Path("var/reviewed-gold.jsonl"), description="gold questions added by reviewers; `python -m eval` reads it"
    )
    admin_token: SecretStr | None = Field(None, description="bearer token of the admin endpoints; unset = off")
    max_body_bytes: int = Field(1 << 20, ge=1, description="largest request body, except uploads (413 over it)")
    max_upload_bytes: int = Field(10 << 20, ge=1, description="largest request body under /v1/documents")
    upload_parse_seconds: float = Field(
        8.0,
        gt=0,
        description="seconds an uploaded file may take to parse, in a worker process killed past it (422); "
        "keep it under TRAINERQA_REQUEST_TIMEOUT so that the client hears why",
    )
    upload_max_pages: int = Field(2000, ge=1, description="pages of an uploaded PDF (413 over it)")
    upload_max_inflated_bytes: int = Field(
        50 << 20, ge=1, description="bytes any one compressed stream of an uploaded PDF may inflate to (413 over it)"
    )
    rate_per_minute: float = Field(
        60.0,
        gt=0,
        validation_alias=AliasChoices("TRAINERQA_RATE_PER_MINUTE", "TRAINERQA_ASK_RATE_PER_MINUTE"),
        description="asks, searches and feedback per client, together, sustained (429 over it)",
    )
    rate_burst: int = Field(
        20,
        ge=1,
        validation_alias=AliasChoices("TRAINERQA_RATE_BURST", "TRAINERQA_ASK_BURST"),
        description="asks, searches and feedback per client, together, in a burst",
    )
    rate_limit_clients: int = Field(10_000, ge=1, description="clients tracked at once (least recently seen go)")
    trust_forwarded_for: bool = Field(False, description="key clients by X-Forwarded-For (only behind a proxy)")
    request_timeout: float = Field(10.0, gt=0, description="seconds until a request gets 504")
    max_connections: int = Field(
        100, ge=2, description="open connections plus requests in flight; uvicorn answers 503 over it"
    )
    keep_alive_seconds: int = Field(
        5, ge=1, description="time a connection gets to send a complete request head, new or between requests"
    )
    max_header_bytes: int = Field(16384, ge=1024, description="largest request line plus headers (400 over it)")

    # --- Curated answers (issue 10) ---
    curated_db: Path = Field(Path("var/curated.sqlite3"), description="SQLite (WAL) file of the curated answers")
    curated_same_lang: float = Field(
        0.934,
        ge=-1,
        le=1,
        description="cosine a question must reach with a curated question of its own language (python -m eval curated)",
    )
    curated_cross_lang: float = Field(
        0.836,
        ge=-1,
        le=1,
        description="cosine a question must reach with a curated question of the other language "
        "(python -m eval curated)",
    )

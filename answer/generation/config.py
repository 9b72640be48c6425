"""The generator's knobs: which backend, where it is, and how long and how much it may write."""

from typing import Literal, Self

from pydantic import BaseModel, Field, SecretStr, model_validator


class GeneratorConfig(BaseModel):
    """`extractive` (the default) answers with quoted sentences only; `openai` asks a model at
    `generator_url` (any server speaking OpenAI's /v1/chat/completions) and keeps what verifies."""

    generator: Literal["extractive", "openai"] = "extractive"
    generator_url: str = Field("", description="base URL of an OpenAI-compatible API, e.g. http://localhost:11434/v1")
    generator_model: str = Field("", description="the model name the server knows")
    generator_api_key: SecretStr | None = Field(None, description="sent as a bearer token; never logged")
    generator_timeout: float = Field(6.0, gt=0, description="seconds the model may take, within the request timeout")
    generator_max_tokens: int = Field(400, ge=16, le=8192)
    generator_temperature: float = Field(0.2, ge=0, le=2)
    generator_breaker_failures: int = Field(3, ge=1, description="failures in a row that open the circuit breaker")
    generator_breaker_seconds: float = Field(30.0, gt=0, description="how long an open breaker stops calling the model")

    @model_validator(mode="after")
    def _backend_named(self) -> Self:
        if self.generator == "openai" and not (self.generator_url and self.generator_model):
            raise ValueError("TRAINERQA_GENERATOR=openai needs TRAINERQA_GENERATOR_URL and TRAINERQA_GENERATOR_MODEL")
        return self

"""The answering knobs, and the whole configuration an engine is opened with."""

from pydantic import Field

from index.config import IndexConfig


class EngineConfig(IndexConfig):
    """An index configuration plus how answers are chosen and cached."""

    abstain_below: float = Field(0.931, description="evidence score under which we abstain (python -m eval calibrate)")
    min_coverage: float = Field(0.0, ge=0, le=1, description="share of question terms the evidence must hold")
    min_focus: float = Field(
        0.02, ge=0, le=1, description="share of question terms that must stand near a typed short answer"
    )
    related_floor: float = Field(
        0.9154,
        description="evidence score under which a declined question gets no related passages (python -m eval related)",
    )
    answer_cache_size: int = Field(1024, ge=0, description="answers kept per index version; 0 = no cache")

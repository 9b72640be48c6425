"""Domain errors raised by the index package; the service maps them to HTTP problems."""


class QAIndexError(Exception):
    """Base class of every error the index package raises on purpose."""


class IndexMissingError(QAIndexError):
    """No built index where one was expected."""


class IndexMismatchError(QAIndexError):
    """The index on disk was built from another corpus, embedder or format."""


class EmptyQueryError(QAIndexError):
    """A query with no searchable content."""


class UnknownEmbedderError(QAIndexError):
    """An embedder name that no backend registers."""


class UnknownVectorStoreError(QAIndexError):
    """A vector-store name that no backend registers."""


class BackendUnavailableError(QAIndexError):
    """An optional backend whose packages are not installed."""


class CorpusError(QAIndexError):
    """A manifest or article that cannot be ingested."""


class UnsupportedDocumentError(QAIndexError):
    """An upload that is not text, HTML or PDF, or whose content does not match its name."""


class DocumentNotFoundError(QAIndexError):
    """No document with that id in the corpus."""


class DocumentExistsError(QAIndexError):
    """A document with that id is already in the corpus."""


class DocumentTooLargeError(QAIndexError):
    """An upload past a parsing limit: too many pages, or content that inflates too much."""


class UnreadableDocumentError(QAIndexError):
    """An upload of a type we take that cannot be parsed: encrypted, malformed, or too slow."""


class DeadlineExceededError(QAIndexError):
    """Work dropped because the request it was for has timed out or its client has gone."""


class IndexDamagedError(QAIndexError):
    """An index version whose files are not what was written: missing, resized, altered or unreadable."""

    def __init__(self, version: str, detail: str) -> None:
        super().__init__(f"index version {version} is damaged: {detail}")
        self.version = version

"""Named crash points, for tests that kill a real process at a chosen step.

Setting TRAINERQA_CRASH_AT=<name> makes the process SIGKILL itself when it reaches that
point: no cleanup runs, exactly as with `kill -9`. Unset (always, in production), a crash
point does nothing.
"""

import os
import signal


def crash_point(name: str) -> None:
    """Die at once, as with kill -9, if TRAINERQA_CRASH_AT names this point."""
    if os.environ.get("TRAINERQA_CRASH_AT") == name:
        os.kill(os.getpid(), signal.SIGKILL)

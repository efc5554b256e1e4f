"""Guards what deployment takes: no build leaves output/ marked as published but a publish build that logged no error.

Every build removes the mark at `initialized`, however Pelican was started (make html, make devserver, make cms,
tests). A publish build collects every ERROR logged while it runs and, at the end, fails with the whole list;
without one, it leaves the note that `make publish` seals into the mark (mark.py) once Pelican has exited.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from pelican import signals

from . import errors, mark

STOPPED = (
    "构建已停止：正式构建中记录了以上错误，output/ 未标记为可发布。请改正后重新运行 make publish。\n"
    "The build stopped: the publish build logged the errors above, and output/ is not marked for deployment. "
    "Fix them and run make publish again."
)

_probe: mark.SourceProbe | None = None  # set while a publish build runs


def _initialized(pelican: Any) -> None:
    global _probe
    mark.remove(Path(pelican.output_path))  # whatever this build becomes, output/ is no longer what the mark said
    errors.stop()
    _probe = None
    settings = pelican.settings
    if not settings.get("PUBLISH_BUILD"):
        return
    errors.start()
    # Asked now, as the content is about to be read: the commit is the one this build reads.
    _probe = mark.SourceProbe(Path(settings.get("SITE_REPO_ROOT") or Path(settings["PATH"]).parent))
    # Connected now, after the rendering plugin connected its own at `initialized`: this receiver runs last.
    signals.finalized.connect(_finalized)


def _finalized(pelican: Any) -> None:
    global _probe
    from content_model.times import site_now
    from publishing import model_state

    probe, _probe = _probe, None
    if probe is None:
        return  # not a publish build
    found = errors.stop()
    if found:
        listed = "\n".join(f"  {message}" for message in found)
        print(f"正式构建记录了 {len(found)} 个错误 The publish build logged {len(found)} error(s):", file=sys.stderr)
        print(listed, file=sys.stderr)
        print(STOPPED, file=sys.stderr)
        raise SystemExit(1)
    now = model_state.current().options.now or site_now()
    mark.note(Path(pelican.output_path), now, probe.result())


def register() -> None:
    signals.initialized.connect(_initialized)

"""The preview's web server: MkDocs' live-reload server serving the preview folder, rebuilt by
:class:`generator.engine.preview.Preview` when a watched file changes.

Two changes to MkDocs' server (``mkdocs.livereload.LiveReloadServer``), which ``mkdocs serve``
runs:

- Files are watched with the system's notifications (inotify on Linux, through watchdog's native
  observer) instead of a stat of every file every half second: a save is seen at once, and a large
  catalogue costs nothing while nobody types. Where the system has none, watchdog polls. Only
  writes count: inotify also reports files being opened and read, as every build reads them.
- While the records have errors, every HTML page served carries the error overlay
  (:mod:`generator.portal.overlay`), after MkDocs' live-reload script, over the last good preview;
  with no preview yet, every URL answers with the overlay alone. The server reloads the browsers
  after every build, good or not, so the overlay comes and goes with the next save.

The subclass uses what MkDocs 1.6's server keeps to itself (its reload epochs, its watch table,
``_inject_js_into_html``); MkDocs 1.x is no longer developed, and tests/test_serve.py drives the
whole of it in a browser.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable

import watchdog.events
import watchdog.observers
from mkdocs.livereload import LiveReloadServer

from generator.portal.overlay import waiting_page

log = logging.getLogger("mkdocs.livereload")

# The events of a file being written, created, deleted or renamed; not of it being read.
WRITES = [
    watchdog.events.FileCreatedEvent,
    watchdog.events.FileModifiedEvent,
    watchdog.events.FileDeletedEvent,
    watchdog.events.FileMovedEvent,
    watchdog.events.FileClosedEvent,
]


class PreviewServer(LiveReloadServer):
    """Serves ``root`` at ``host:port`` (under ``mount_path``), calling ``builder`` after changes
    to watched files and reloading the browsers when it returns."""

    def __init__(self, builder: Callable[[], None], host: str, port: int, root: str, mount_path: str = "/"):
        super().__init__(builder, host, port, root, mount_path)
        self.observer = watchdog.observers.Observer()
        self.build_delay = 0.05  # seconds without another change before a build starts
        self._overlay = ""
        self._overlay_lock = threading.Lock()
        self.error_handler = self._error_page

    def show(self, overlay: str) -> None:
        """Show ``overlay`` on every page from now on ("" for none)."""
        with self._overlay_lock:
            self._overlay = overlay

    def reload_now(self) -> None:
        """Reload the browsers now, before the builder returns (it goes on with work the pages do
        not wait for: the preview's search index)."""
        with self._epoch_cond:
            self._visible_epoch = self._wanted_epoch
            self._epoch_cond.notify_all()

    @property
    def overlay(self) -> str:
        with self._overlay_lock:
            return self._overlay

    def watch(self, path: str, func: None = None, *, recursive: bool = True) -> None:
        """Rebuild when a file under ``path`` is written (see WRITES)."""
        path = os.path.abspath(path)
        if path in self._watched_paths:
            self._watched_paths[path] += 1
            return
        self._watched_paths[path] = 1

        def changed(event: watchdog.events.FileSystemEvent) -> None:
            log.debug(str(event))
            with self._rebuild_cond:
                self._want_rebuild = True
                self._rebuild_cond.notify_all()

        handler = watchdog.events.FileSystemEventHandler()
        handler.on_any_event = changed  # type: ignore[method-assign]
        self._watch_refs[path] = self.observer.schedule(
            handler, path, recursive=recursive, event_filter=WRITES
        )

    def _inject_js_into_html(self, content: bytes, epoch: int) -> bytes:
        content = super()._inject_js_into_html(content, epoch)
        overlay = self.overlay
        if not overlay:
            return content
        end = content.rfind(b"</body>")
        end = len(content) if end < 0 else end
        return content[:end] + overlay.encode("utf-8") + content[end:]

    def _error_page(self, code: int) -> bytes | None:
        overlay = self.overlay
        if overlay and not os.path.isfile(os.path.join(self.root, "index.html")):
            # No preview yet: the overlay, with the script that reloads when there is one.
            with self._epoch_cond:
                epoch = self._visible_epoch
            return super()._inject_js_into_html(waiting_page(overlay).encode("utf-8"), epoch)
        if code == 404:
            try:
                with open(os.path.join(self.root, "404.html"), "rb") as handle:
                    return self._inject_js_into_html(handle.read(), self._visible_epoch)
            except OSError:
                return None
        return None

"""``gongkai serve``: a live preview of the portal while records and pages are edited.

The preview is built incrementally into ``.gongkai-cache/preview/`` (see
:mod:`generator.engine.preview`) and served by MkDocs' live-reload server (see
:mod:`generator.engine.server`); ``site/`` and the record of its build are never touched.
"""

from __future__ import annotations

import socket
from pathlib import Path
from urllib.parse import urlsplit

import click

from generator.commands.build import DIRECTORY, config_file_of, quiet_engine_notices
from generator.commands.validate import emit_report
from generator.engine.preview import Outcome, Preview
from generator.engine.server import PreviewServer
from generator.errors import GongkaiError, UsageError
from generator.portal.overlay import render_overlay


def parse_address(address: str) -> tuple[str, int]:
    host, _, port = address.rpartition(":")
    if not host or not port.isdigit() or not 0 <= int(port) <= 65535:
        raise UsageError(f"地址应为 IP:端口，例如 127.0.0.1:8000，实为 {address}")
    return host.strip("[]"), int(port)


def check_address(host: str, port: int) -> None:
    """Fail now, not after the first build, when the address is taken or not this machine's."""
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the server binds
        try:
            probe.bind((host, port))
        except OSError as exc:
            raise address_error(host, port, exc) from None


def address_error(host: str, port: int, exc: OSError) -> GongkaiError:
    return GongkaiError(f"无法在 {host}:{port} 上提供预览：{exc.strerror}。请用 -a 换一个地址或端口")


@click.command("serve")
@DIRECTORY
@click.option("--address", "-a", default="127.0.0.1:8000", show_default=True, help="IP:PORT to serve on.")
@click.option(
    "--traditional", is_flag=True, help="Build the 繁體 pages too (left out of the preview by default)."
)
def serve_command(directory: Path, address: str, traditional: bool) -> None:
    """Preview the portal with live reload while records and pages are edited.

    The preview is built into .gongkai-cache/preview/, incrementally: a save renders only the
    pages it changes. Errors are printed here and shown on the page, over the last good preview.
    site/ is not touched.
    """
    quiet_engine_notices()
    host, port = parse_address(address)
    check_address(host, port)
    preview = Preview(config_file_of(directory), traditional=traditional)
    config = preview.config
    mount_path = urlsplit(config.site_url or "/").path or "/"

    def rebuild() -> None:
        click.echo("正在更新预览……", err=True)
        show(server, preview.build())
        server.reload_now()  # the pages are in place: the search index follows
        problem = preview.index_later()
        if problem:
            click.echo(click.style("error: ", fg="red", bold=True) + problem, err=True)

    server = PreviewServer(rebuild, host, port, str(preview.folder), mount_path)
    with preview.locked():
        rebuild()
        for path in watched(preview):
            server.watch(path)
        click.echo(f"预览地址：{server.url}（按 Ctrl+C 停止）", err=True)
        try:
            server.serve()
        except KeyboardInterrupt:
            click.echo("预览已停止", err=True)
        except OSError as exc:  # the address was taken meanwhile
            raise address_error(host, port, exc) from None
        finally:
            server.shutdown()


def watched(preview: Preview) -> list[str]:
    """The configuration file, the records, the pages, the portal's theme folder and any folder
    the configuration asks to watch."""
    config = preview.config
    paths = [str(preview.config_file), str(preview.root / "catalog"), config.docs_dir]
    if config.theme.custom_dir:
        paths.append(config.theme.custom_dir)
    paths += [path for path in config.watch if Path(path).exists()]
    return sorted(set(paths))


def show(server: PreviewServer, outcome: Outcome) -> None:
    """Print the outcome of a build of the preview, and put its errors on the pages."""
    emit_report(outcome.report, "text")
    if outcome.problem:
        click.echo(click.style("error: ", fg="red", bold=True) + outcome.problem, err=True)
    if outcome.built:
        server.show("")
        if outcome.up_to_date:
            click.echo("预览已是最新", err=True)
        else:
            click.echo(f"预览已更新（{outcome.seconds:.1f} 秒）", err=True)
        return
    has_site = (Path(server.root) / "index.html").is_file()
    server.show(render_overlay(outcome.errors, outcome.problem, site=has_site))
    click.echo("预览没有更新：请改正上面的问题，保存后会自动重新生成", err=True)

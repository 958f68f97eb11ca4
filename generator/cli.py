"""The ``gongkai`` command line: a group of verbs, each in generator/commands/."""

from __future__ import annotations

import gc
import sys
import traceback

import click

from generator import __version__
from generator.commands.audit import audit_command
from generator.commands.build import build_command
from generator.commands.deploy import deploy_command
from generator.commands.federate import federate_command
from generator.commands.history import history_command
from generator.commands.init import init_command
from generator.commands.integrity import sign_command, verify_command
from generator.commands.merge import merge_command
from generator.commands.new import new_group
from generator.commands.serve import serve_command
from generator.commands.tabular import export_command, import_command
from generator.commands.validate import validate_command
from generator.errors import GongkaiError, os_error_message


def collect_less() -> None:
    """Let Python's cycle collector run far less often. By default it runs every 700 new objects
    and, each time, looks over the young ones; a build makes millions of objects that live until
    it ends (records, plans, pages) and almost none in cycles, so at 100,000 entries its passes
    took about 4 s of a rebuild after one edit. Memory is not affected: objects not in a cycle are
    freed as soon as they are unused, whatever the thresholds."""
    gc.set_threshold(100_000, 50, 100)


class _Group(click.Group):
    """Turns user mistakes (GongkaiError) and OS faults (OSError: a full disk, a missing
    permission, a file gone mid-build) into one line and an exit code, not a traceback; ``-v``
    adds the traceback. A failed build has already removed its staging directory."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except GongkaiError as exc:
            self._fail(ctx, str(exc), exc.exit_code)
        except OSError as exc:
            self._fail(ctx, os_error_message(exc, building=ctx.invoked_subcommand == "build"), 1)

    @staticmethod
    def _fail(ctx: click.Context, message: str, exit_code: int):
        click.echo(click.style("error: ", fg="red", bold=True) + message, err=True)
        if ctx.obj and ctx.obj.get("verbose"):
            traceback.print_exc()
        sys.exit(exit_code)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="gongkai")
@click.option("--verbose", "-v", is_flag=True, help="Show full tracebacks for errors.")
@click.pass_context
def main(ctx: click.Context, verbose: bool) -> None:
    """Gongkai: build a government information disclosure portal from YAML records.

    Every command takes the project directory (default: the current directory).
    """
    collect_less()
    ctx.ensure_object(dict)
    ctx.obj["verbose"] = verbose


main.add_command(init_command)
main.add_command(validate_command)
main.add_command(build_command)
main.add_command(merge_command)
main.add_command(serve_command)
main.add_command(audit_command)
main.add_command(new_group)
main.add_command(verify_command)
main.add_command(sign_command)
main.add_command(deploy_command)
main.add_command(history_command)
main.add_command(federate_command)
main.add_command(import_command)
main.add_command(export_command)

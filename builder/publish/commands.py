"""`builder push`: validate the build, then publish it as a versioned release to the Hub or a folder.

Registered in builder/cli.py with `main.add_command(push)`. A thin shell over push.py: parse the
options, print the plan, then what was done. Input and network problems are BuilderErrors,
which the CLI prints as one line with a non-zero exit.
"""

from __future__ import annotations

from pathlib import Path

import click

from builder.config import load_settings
from builder.errors import UsageError, display_path
from builder.publish.versions import parse_version


@click.command("push")
@click.option("--version", "version_text", required=True, metavar="X.Y.Z",
              help="Semantic version of this release; tagged vX.Y.Z. Must be above every published version.")
@click.option("--repo-id", metavar="ORG/NAME", help="Hub dataset repo (default: publish.repo_id in builder.yaml).")
@click.option("--to", "folder", type=click.Path(path_type=Path), metavar="DIR",
              help="Publish into this local folder instead of the Hub (latest at the top, each version under versions/).")
@click.option("--build-dir", type=click.Path(path_type=Path), help="Build folder to publish (default: from builder.yaml).")
@click.option("--dry-run", is_flag=True, help="Print what would change, and change nothing.")
@click.option("--private", is_flag=True, help="Create the Hub repo as private (a repo that exists keeps its visibility).")
@click.option("--branch", default="main", show_default=True, help="Hub branch to commit to (made from main if missing).")
@click.option("--message", help="Commit message (default: Release vX.Y.Z).")
def push(version_text: str, repo_id: str | None, folder: Path | None, build_dir: Path | None, dry_run: bool,
         private: bool, branch: str, message: str | None) -> None:
    """Publish the build as version X.Y.Z: one commit and a tag vX.Y.Z, on the Hub (--repo-id) or in a folder (--to)."""
    settings = load_settings()
    version = parse_version(version_text)
    configured_repo_id = (settings.values.get("publish") or {}).get("repo_id")
    if folder is not None and repo_id:
        raise UsageError("give --repo-id or --to, not both")
    if folder is not None and (private or branch != "main"):
        raise UsageError("--private and --branch apply to the Hub only, not to --to")
    repo_id = repo_id or configured_repo_id
    if folder is None and not repo_id:
        raise UsageError("say where to publish: --repo-id ORG/NAME (or publish.repo_id in builder.yaml), or --to DIR")

    # Imported here, not at the top: they load `datasets`, which would slow down every `builder` command.
    from builder.publish.card import find_template
    from builder.publish.inputs import check_build, read_build
    from builder.publish.local import FolderTarget
    from builder.publish.push import ALREADY_PUBLISHED, NOTHING_TO_PUBLISH, prepare_release, publish_release

    build_dir = build_dir or settings.build_dir
    check_build(build_dir)
    build = read_build(build_dir)
    if folder is not None:
        target = FolderTarget(folder)
    else:
        from builder.publish.hub import HubTarget

        target = HubTarget(repo_id, branch=branch, private=private, require_token=not dry_run)
    release = prepare_release(target, build, version, find_template(settings.root), repo_id)

    if release.status == ALREADY_PUBLISHED:
        click.echo(f"{version.tag} is already published on {target.name} with exactly these files: nothing to do")
        return
    if release.status == NOTHING_TO_PUBLISH:
        click.echo(f"nothing to publish: the data is identical to {release.same_as} on {target.name}")
        return
    where = f"{target.name}" + (f" (branch {branch})" if folder is None else "")
    after = f"after {release.previous_tag}" if release.previous_tag else "first release"
    click.echo(f"plan for {where}, {version.tag} ({after}):")
    for line in release.plan.lines():
        click.echo(line)
    if private and folder is None and target.exists:
        click.echo(f"note: {target.name} exists; --private applies to a new repo and its visibility is unchanged")
    if dry_run:
        if folder is None and not target.exists:
            click.echo(f"{target.name} does not exist yet: it would be created ({'private' if private else 'public'})")
        click.echo("dry run: nothing was changed")
        return

    published = publish_release(target, release, message)
    if folder is not None:
        click.echo(f"wrote {display_path(folder)}")
        click.echo(f"tagged {version.tag}: {display_path(Path(folder) / published.revision)}")
        return
    if published.committed:
        click.echo(f"committed {published.revision}")
    else:
        click.echo(f"nothing to commit: {branch} already holds these files at {published.revision}")
    click.echo(f"tagged {version.tag}")

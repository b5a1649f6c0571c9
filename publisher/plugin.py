"""The MkDocs plugin: content/ → pages, so `mkdocs build` and `mkdocs serve` need no other step.

Stages (MkDocs events):
- ``on_config``: read ``site_config.yml``;
- ``on_pre_build``: take the build lock and point MkDocs at a staging folder beside
  ``site/`` (``publisher.publish``); load and check all content before a page is written;
- ``on_files``: add one generated page per region, unit and unit-year;
- ``on_page_content``: render each page with Jinja2;
- ``on_post_build``: build the search index (into the staging folder);
- ``on_shutdown``: swap the complete staging folder in as ``site/``; a build that failed
  or was killed leaves the previous site exactly as it was;
- ``on_serve``: watch ``content/`` and ``site_config.yml`` for the editors' preview.
"""

from __future__ import annotations

import logging
import shutil
import tempfile
from pathlib import Path

from markupsafe import Markup
from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.exceptions import Abort, PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, InclusionLevel

from .build import build_site
from .errors import ContentError
from .load import load_site_config
from .publish import Publication
from .render import PageSpec, Renderer, Theme, ThemePage, page_context, theme_extra
from .search import SHARD_PAGES

log = logging.getLogger("mkdocs.plugins.publisher")


class PublisherConfig(Config):
    content = c.Type(str, default="content")
    site_config = c.Type(str, default="site_config.yml")
    search = c.Type(bool, default=True)
    cache = c.Type(str, default=".cache/publisher")  # '' turns the per-unit cache off
    search_shard_pages = c.Type(
        int, default=SHARD_PAGES
    )  # pages per Pagefind run (bounds its memory)


class PublisherPlugin(BasePlugin[PublisherConfig]):
    """Builds the disclosure site from ``content/``."""

    def __init__(self):
        self.command = "build"
        self.pages: dict[str, PageSpec] = {}
        self.downloads: dict[str, Path] = {}
        self.renderer: Renderer | None = None
        self.scratch: Path | None = None  # this build's pages when the cache is off
        self.publication: Publication | None = None  # `mkdocs build`'s way to site/
        self.complete = False

    def on_startup(self, *, command, dirty):
        self.command = command

    def on_config(self, config):
        root = Path(config.config_file_path or ".").resolve().parent
        self.content_dir = root / self.config.content
        self.site_config_path = root / self.config.site_config
        self.cache_dir = root / self.config.cache if self.config.cache else None
        try:
            self.settings = load_site_config(self.site_config_path)
        except ContentError as error:
            raise PluginError(f"站点设置有问题：\n{error}") from None
        config.site_name = self.settings.title
        return config

    def on_pre_build(self, *, config):
        serving = self.command == "serve"
        config.extra.update(theme_extra(self.settings))
        theme = Theme(config.theme.get_env(), config)
        if not serving:
            self.begin_publication(config)
        if self.cache_dir:
            self.scratch = None
        elif self.publication:
            self.scratch = self.publication.scratch()
        else:
            self.scratch = Path(tempfile.mkdtemp(prefix="publisher-"))
        cache_dir = (
            self.cache_dir or self.scratch
        )  # without a cache, this build's pages go to scratch
        self.staging_root = cache_dir  # same file system as the index copies: they are hard-linked
        try:
            build = build_site(
                self.content_dir,
                self.settings,
                theme=theme,
                cache_dir=cache_dir,
                drafts=serving,
                keep_last_good=not serving and self.settings.on_broken_unit == "keep-last-good",
            )
        except ContentError as error:  # the content folder itself is missing
            raise PluginError(str(error)) from None
        except OSError as error:  # the cache or scratch folder cannot be written
            raise PluginError(
                f"cannot write {error.filename or cache_dir}: {error.strerror or error}; "
                f"the previous site is untouched"
            ) from None
        log.info(
            f"publisher: {len(build.pages)} pages; {build.rendered} unit(s) rendered, "
            f"{len(build.site.all_units()) - build.rendered} from cache"
        )
        for note in build.kept:  # site_config.yml: on_broken_unit: keep-last-good
            log.warning(f"publisher: !!! {note}\n!!! 修正后重新构建才会发布该单位的新内容。")
        if build.problems or build.failing:
            report = [str(p) for p in build.problems] + ["\n".join(f.lines) for f in build.failing]
            message = (
                f"内容有 {len(build.problems)} 个问题、{len(build.failing)} 项未说明的不一致：\n"
                + "\n".join(report)
            )
            if not serving:
                raise PluginError(
                    f"{message}\n网站没有构建，上一次构建的 site/ 原样保留。请修正这些文件；"
                    f"公开数确实如此、无法改动的不一致，在年度文件的 acknowledgements 中"
                    f"说明（见 publisher check 的输出）；要先发布其余单位，可在 site_config.yml "
                    f"中写 on_broken_unit: keep-last-good。"
                )
            log.error(message)
        self.renderer = Renderer(build.site, self.settings)
        self.pages = {spec.src_uri: spec for spec in build.pages}
        self.downloads = dict(build.files)  # open data (publisher/downloads.py): site URL → file
        self.downloads.update(
            (spec.url + name, path) for spec in build.pages for name, path in spec.downloads.items()
        )

    def on_files(self, files, *, config):
        for spec in self.pages.values():
            existing = files.get_file_from_path(spec.src_uri)
            if existing is not None:
                files.remove(existing)  # our generated page owns this URL
            if spec.page_file is not None:  # a whole page written by the build: MkDocs copies it
                files.append(
                    File.generated(
                        config, f"{spec.url}index.html", abs_src_path=str(spec.page_file)
                    )
                )
            else:
                files.append(
                    File.generated(
                        config, spec.src_uri, content="", inclusion=InclusionLevel.NOT_IN_NAV
                    )
                )
        for url, path in self.downloads.items():
            files.append(File.generated(config, url, abs_src_path=str(path)))
        return files

    def on_page_markdown(self, markdown, *, page, config, files):
        spec = self.pages.get(page.file.src_uri)
        if spec is not None:
            page.meta["title"] = spec.title
            page.meta["generated"] = True
        return markdown

    def on_page_content(self, html, *, page, config, files):
        spec = self.pages.get(page.file.src_uri)
        if spec is None:
            return html
        return self.renderer.render(spec)

    def on_page_context(self, context, *, page, config, nav):
        """MkDocs' own pages get the same typed context as the pages written whole."""
        view = ThemePage(
            page.title or "",
            page.url,
            Markup(page.content or ""),
            page.is_homepage,
            dict(page.meta),
        )
        return page_context(config, view).as_dict()

    def on_post_build(self, *, config):  # on an error here MkDocs calls on_build_error
        if self.config.search and self.command != "serve":
            from .search import build_index

            sources = [
                (spec.url, spec.index_file) for spec in self.pages.values() if spec.index_file
            ]
            indexed, reused = build_index(
                Path(config.site_dir),
                self.config.search_shard_pages,
                sources or None,
                staging_root=self.staging_root,
                cache_dir=self.cache_dir / "search" if self.cache_dir else None,
            )
            log.info(f"publisher: search index: {indexed} shard(s) indexed, {reused} from cache")
        self.drop_scratch()
        self.complete = True

    def on_build_error(self, *, error):
        self.drop_scratch()
        self.complete = False

    def begin_publication(self, config) -> None:
        """Build into a staging folder beside site/, under the build lock."""
        publication = self.publication = Publication(Path(config.site_dir))
        self.mkdocs_config = config
        self.complete = False
        try:
            config.site_dir = str(publication.begin())
        except OSError as error:
            self.end_publication()
            raise PluginError(f"cannot prepare {publication.site_dir}: {error}") from None

    def on_shutdown(self):
        self.end_publication()

    def end_publication(self) -> None:
        """Swap a complete build in as site/; otherwise drop it. Always release the lock."""
        publication, self.publication = self.publication, None
        if publication is None:
            return
        try:
            if self.complete and publication.staging is not None:
                publication.commit()
                log.info(f"publisher: published {publication.site_dir}")
            else:
                publication.abandon()
        except OSError as error:
            publication.abandon()
            raise Abort(
                f"the new site could not replace {publication.site_dir} ({error}); "
                f"the previous site is untouched"
            ) from None
        finally:
            publication.release()
            self.mkdocs_config.site_dir = str(publication.site_dir)  # as it was, for gh-deploy

    def drop_scratch(self) -> None:
        if self.scratch is not None:
            shutil.rmtree(self.scratch, ignore_errors=True)
            self.scratch = None

    def on_serve(self, server, *, config, builder):
        server.watch(str(self.content_dir))
        server.watch(str(self.site_config_path))
        return server

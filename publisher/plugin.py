"""The MkDocs plugin: content/ → pages, so `mkdocs build` and `mkdocs serve` need no other step.

Stages (MkDocs events):
- ``on_config``: read ``site_config.yml``;
- ``on_pre_build``: take the build lock and point MkDocs at a staging folder beside
  ``site/`` (``publisher.publish``);
- ``on_files`` (once MkDocs has emptied the staging folder): load, check and render all
  content (``publisher.build``); each unit's pages go into the staging folder as soon as it
  is done, and the search index starts on each shard as soon as its pages are known; stop
  here on any problem. Our pages own their URLs (a docs file at one of them is left out);
- ``on_post_build``: the index pages, the data package and the search index;
- ``on_shutdown``: swap the complete staging folder in as ``site/``; a build that failed
  or was killed leaves the previous site exactly as it was;
- ``on_serve``: watch ``content/`` and ``site_config.yml`` for the editors' preview, which
  serves each generated file when a browser asks for it (nothing else is copied).
"""

from __future__ import annotations

import concurrent.futures
import logging
import shutil
import sys
import tempfile
import threading
import time
from pathlib import Path

from markupsafe import Markup
from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.exceptions import Abort, PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import Files

from .build import build_site
from .cache import Cache
from .errors import ContentError, PublisherError
from .index import SEARCH_COPY
from .layout import load_library
from .load import Memo, load_site_config
from .output import SiteFiles, write_unit
from .publish import Publication
from .render import Renderer, Theme, ThemePage, page_context, theme_extra
from .search import OVERLAY_PAGES, SHARD_PAGES, Indexer

log = logging.getLogger("mkdocs.plugins.publisher")


class PublisherConfig(Config):
    content = c.Type(str, default="content")
    site_config = c.Type(str, default="site_config.yml")
    search = c.Type(bool, default=True)
    cache = c.Type(str, default=".cache/publisher")  # '' turns the per-unit cache off
    search_shard_pages = c.Type(
        int, default=SHARD_PAGES
    )  # pages per Pagefind run (bounds its memory)
    search_overlay_pages = c.Type(
        int, default=OVERLAY_PAGES
    )  # changed pages indexed on their own before their shards are indexed again


class PublisherPlugin(BasePlugin[PublisherConfig]):
    """Builds the disclosure site from ``content/``."""

    def __init__(self):
        self.command = "build"
        self.files: SiteFiles | None = None
        self.indexer: Indexer | None = None
        self.scratch: Path | None = None  # this build's own files (pages too when uncached)
        self.publication: Publication | None = None  # `mkdocs build`'s way to site/
        self.complete = False
        # mkdocs serve: held while a build runs, so that a request waits for its files
        self.building = threading.Lock()
        # kept from one build to the next (the preview builds again on every edit)
        self.memo = Memo()
        self.kept_cache: Cache | None = None
        self.renderer: tuple[str, Renderer] | None = None
        self.stages: list[str] = []  # how long each took, for the log

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
        if self.command == "serve":
            self.building.acquire()
        config.extra.update(theme_extra(self.settings))
        if self.command != "serve":
            self.begin_publication(config)
        self.drop_scratch()
        self.scratch = (
            self.publication.scratch()
            if self.publication
            else Path(tempfile.mkdtemp(prefix="publisher-"))
        )

    def on_files(self, files: Files, *, config):
        """Build every unit (MkDocs has emptied the site folder by now); our pages own their
        URLs, so a docs file at one of them is left out."""
        serving = self.command == "serve"
        theme = Theme(config.theme.get_env(), config)
        cache_dir = self.cache_dir or self.scratch  # without a cache, pages go to scratch
        assert cache_dir is not None
        cache = Cache(cache_dir, remember=serving)
        if serving and self.kept_cache is not None and self.kept_cache.folder == cache_dir:
            cache = self.kept_cache
        self.kept_cache = cache if serving else None
        if self.config.search and not serving:
            self.indexer = Indexer(
                self.config.search_shard_pages,
                cache_dir=self.cache_dir / "search" if self.cache_dir else None,
                staging_root=cache_dir,  # beside the pages: the search copies are hard-linked
                overlay_pages=self.config.search_overlay_pages,
            )
        tree = self.publication.tree if self.publication is not None else None
        site_dir = Path(config.site_dir)
        linking: list[concurrent.futures.Future] = []
        linker = concurrent.futures.ThreadPoolExecutor(2, thread_name_prefix="link")

        def done(unit, entry) -> None:  # each unit as soon as it is done, in site order
            folder = cache.pages(entry.key)
            assert folder is not None
            if tree is not None:  # system calls that wait on the disk: in threads
                linking.append(linker.submit(write_unit, tree, unit, entry, folder))
            if self.indexer is not None:
                for year in entry.published():
                    self.indexer.add(unit.year_url(year), folder / SEARCH_COPY.format(year=year))

        started = time.monotonic()
        try:
            renderer = self.renderer_for(theme)
            build = build_site(
                self.content_dir,
                self.settings,
                theme=theme,
                cache_dir=cache_dir,
                drafts=serving,
                keep_last_good=not serving and self.settings.on_broken_unit == "keep-last-good",
                each=done,
                cache=cache,
                memo=self.memo if serving else None,
                renderer=renderer,
                layouts=renderer.layouts,
            )
        except (ContentError, PublisherError) as error:  # no content folder, a worker died
            raise PluginError(str(error)) from None
        except OSError as error:  # the cache or site folder cannot be written
            raise PluginError(
                f"cannot write {error.filename or cache_dir}: {error.strerror or error}; "
                f"the previous site is untouched"
            ) from None
        finally:  # every unit's pages are in the site folder (or, on an error, none matter)
            linker.shutdown(wait=True, cancel_futures=sys.exc_info()[0] is not None)
        try:
            for future in linking:
                future.result()
        except OSError as error:
            raise PluginError(
                f"cannot write {error.filename or site_dir}: {error.strerror or error}; "
                f"the previous site is untouched"
            ) from None
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
        assert self.scratch is not None
        self.files = SiteFiles(
            build.index, renderer, cache, self.scratch, self.settings.title, build.version
        )
        units = len(build.site.all_units())
        log.info(
            f"publisher: {len(self.files.pages) + len(self.files.years)} pages; "
            f"{build.rendered} unit(s) rendered, {units - build.rendered} from cache"
        )
        self.stages = [f"units {time.monotonic() - started:.1f} s"]
        for file in list(files):
            if self.files.owns(file.dest_uri):
                files.remove(file)
        return files

    def renderer_for(self, theme: Theme) -> Renderer:
        """The renderer of this build: the last one while the settings and layouts are the
        same (its templates are compiled already), with this build's theme."""
        layouts = load_library(self.content_dir.resolve().parent)
        key = repr((self.settings, layouts))
        if self.renderer is None or self.renderer[0] != key:
            self.renderer = (key, Renderer(self.settings, theme, layouts))
        renderer = self.renderer[1]
        renderer.theme = theme
        return renderer

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
        assert self.files is not None
        tree = self.publication.tree if self.publication is not None else None
        if tree is not None:
            started = time.monotonic()
            count = self.files.write(tree)
            log.info(f"publisher: {count} index pages and files of the data package")
            self.stages.append(f"index pages and data package {time.monotonic() - started:.1f} s")
        if self.indexer is not None and tree is not None:
            started = time.monotonic()
            indexed, reused = self.indexer.publish(tree)
            log.info(f"publisher: search index: {indexed} shard(s) indexed, {reused} from cache")
            self.stages.append(
                f"search index {self.indexer.seconds:.1f} s of Pagefind (alongside), "
                f"{time.monotonic() - started:.1f} s after the pages"
            )
            self.close_indexer()
        if self.command != "serve":
            log.info(f"publisher: stages: {', '.join(self.stages)}")
        if self.command != "serve":
            self.drop_scratch()
        self.complete = True
        self.release()

    def on_build_error(self, *, error):
        self.close_indexer()
        if self.command != "serve":
            self.drop_scratch()
        self.complete = False
        self.release()

    def release(self) -> None:
        if self.building.locked():
            self.building.release()

    def close_indexer(self) -> None:
        if self.indexer is not None:
            self.indexer.close()
            self.indexer = None

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
        self.drop_scratch()

    def end_publication(self) -> None:
        """Swap a complete build in as site/; otherwise drop it. Always release the lock."""
        publication, self.publication = self.publication, None
        if publication is None:
            return
        try:
            if self.complete and publication.staging is not None:
                started = time.monotonic()
                publication.commit()
                tree = publication.tree
                assert tree is not None
                how = "patched the previous site" if publication.patched else "laid out anew"
                log.info(
                    f"publisher: published {publication.site_dir} ({how}: {tree.linked} files "
                    f"put in, {tree.removed} removed; completed and swapped in "
                    f"{time.monotonic() - started:.1f} s)"
                )
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
        serve = server.get_app()
        site_dir = Path(server.root)

        def app(environ, start_response):
            """Put the requested generated file into the served folder first (once the
            build that may be running has finished)."""
            path = environ.get("PATH_INFO", "").encode("latin-1").decode("utf-8", "ignore")
            relative = path.removeprefix(server.mount_path.rstrip("/")).lstrip("/")
            if not relative or relative.endswith("/"):
                relative += "index.html"
            if ".." not in relative.split("/"):
                with self.building:
                    if self.files is not None:
                        self.files.provide(site_dir, relative)
            return serve(environ, start_response)

        server.set_app(app)
        return server

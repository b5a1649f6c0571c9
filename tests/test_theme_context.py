"""One page context for the theme: the pages MkDocs renders and the pages the build writes
whole get the same typed context, so a theme edit comes out the same on both."""

from __future__ import annotations

import re

import jinja2.meta
from markupsafe import Markup
from mkdocs.config import load_config

from publisher.render import PageContext, Theme, ThemePage, theme_extra, wrap

MAIN = re.compile(r'(<main id="main" class="[^"]*">)(.*?)(</main>)', re.S)


def theme_of(project) -> Theme:
    config = load_config(str(project / "mkdocs.yml"))
    config = config.plugins.on_config(config)  # the publisher sets site_name …
    config.extra.update(theme_extra(config.plugins["publisher"].settings))  # … and the footer
    return Theme(config.theme.get_env(), config)


def test_a_page_mkdocs_rendered_has_the_chrome_of_a_page_written_whole(seed_build):
    """A region page (MkDocs renders it, plugin.on_page_context) against the same page
    written by ``render.wrap`` (as disclosure pages are): equal outside <main>'s content."""
    theme = theme_of(seed_build.parent)
    for url in ("yueyang/yunxi/", "", "format/"):
        built = (seed_build / url / "index.html").read_text(encoding="utf-8")
        content = MAIN.search(built).group(2)
        content = content.removeprefix("\n    ").removesuffix("\n  ")  # main.html's indentation
        title = re.search(r"<title>(.*?)</title>", built, re.S).group(1)
        title = "" if " · " not in title else title.rsplit(" · ", 1)[0]
        generated = 'class="wrap generated"' in built
        page = ThemePage(
            title, url, Markup(content), is_homepage=url == "", meta={"generated": generated}
        )
        assert wrap(theme, page) == built, url


def test_the_theme_uses_only_the_typed_context(seed_build):
    """Every variable main.html reads is a field of PageContext (nav, extra_css … are not:
    a theme edit using them would come out empty, on every page alike)."""
    theme = theme_of(seed_build.parent)
    env = theme.env
    for name in ("main.html", "404.html"):
        source = env.loader.get_source(env, name)[0]
        used = jinja2.meta.find_undeclared_variables(env.parse(source))
        assert used <= set(PageContext.__dataclass_fields__), (name, used)

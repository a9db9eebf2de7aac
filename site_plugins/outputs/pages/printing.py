"""Print rules that depend on the site's own address (docs/CARE.md, "Print").

The print style sheet (assets/overrides/assets/stylesheets/print.css) is static; the one rule
that needs `site_url` is written here, once per build, and placed by main.html in a
`<style media="print">`: on paper, a link to another site is followed by its address, a link
within the site (relative, or absolute with the site's own address, as /subscribe/ shows the
feeds) is not.
"""

from __future__ import annotations

from markupsafe import Markup

# Links inside the page's content; the chrome around it is not printed (print.css).
_SCOPE = ".md-content"


def css_string(value: str) -> str:
    """`value` as a double-quoted CSS string, safe inside an HTML <style> element.

    Backslash, quotes, line breaks, other control characters and `<` `>` `&` (so the text
    can never close the <style> element) become CSS hex escapes, each followed by a space.
    """
    out = []
    for char in value:
        if char in '\\"\'<>&' or ord(char) < 0x20 or ord(char) == 0x7F:
            out.append(f"\\{ord(char):x} ")
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


def external_link_rules(site_url: str) -> Markup:
    """The print rules for links: other sites' addresses after the link text, ours not."""
    own = site_url if site_url.endswith("/") else site_url + "/"
    external = f'{_SCOPE} a:is([href^="http://"], [href^="https://"])'
    rules = [
        f'{external}::after{{content:" (" attr(href) ")";font-size:.85em;overflow-wrap:anywhere}}',
    ]
    if own.startswith(("http://", "https://")):
        rules.append(f"{external}[href^={css_string(own)}]::after{{content:none}}")
    return Markup("".join(rules))

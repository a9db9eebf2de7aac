"""The 公众号 edition: a story or lecture as HTML that survives pasting into the WeChat editor.

`edition` (Markdown -> HTML with mkdocs.yml's extensions; the article), `inline` (every style
inline, nothing the editor strips), `images` (files <= 1080 px and < 1 MB), `limits` (the draft
API's documented limits). No MkDocs import: `scripts/wechat` and the preview's 复制到公众号 button
(adapters/wechat.py) call the same `edition.article`.
"""

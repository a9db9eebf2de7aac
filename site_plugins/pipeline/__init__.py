"""The build's two passes over the core, for any site engine: `prepare` before it renders, `finish` after.

`prepare.prepare` checks the content, publishes its media and describes every page (`Prepared`);
the engine renders the pages; `finish.finish` reads what it wrote and adds the feeds, the calendar,
the search index, /admin/, the redirects and the `.gz` copies, all through one `Manifest`.
"""

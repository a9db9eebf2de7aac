"""What a build writes from the catalog: listings, SEO, feeds, calendar, subscribe page."""

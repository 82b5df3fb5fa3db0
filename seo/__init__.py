"""What search engines and link previews read: meta tags, JSON-LD, the sitemap, robots.txt."""

"""The page cache: responses kept with the keys of what they show, fresh until one is purged."""

"""Theme: the public site's templates, static files and presentation helpers."""

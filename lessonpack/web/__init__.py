"""`lessonpack serve`: the web page where teachers and DSLs make their pack.

app.py      routes and the app, with the guards and the workers around them
forms.py    the form ↔ school.toml's settings, validated by school.toml's own models
uploads.py  a logo checked by its content; a school.toml loaded back
guards.py   security headers, a request-body cap and a per-client rate limit
workers.py  packs and previews built in a bounded pool of worker processes
serve.py    the click command
"""

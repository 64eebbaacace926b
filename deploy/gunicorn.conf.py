"""gunicorn's settings file: deploy/web.sh and bench/province.py pass it with --config (their
command lines set the rest)."""


def post_worker_init(worker):
    """Before a worker takes requests: what the first search would otherwise wait for (the
    database engine's facet columns: seconds at 1,000,000 items)."""
    from django.db import connections

    from search.service import warm_up

    warm_up()
    connections.close_all()  # the worker's main thread takes no requests

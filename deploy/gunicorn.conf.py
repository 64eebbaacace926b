"""gunicorn's settings file: deploy/web.sh and bench/province.py pass it with --config (their
command lines set the rest)."""


def post_worker_init(worker):
    """Before a worker takes requests: what its first requests would otherwise wait for.

    - The URLconf, which imports every admin view and hook (0.5 s at a load of 5): Django reads
      it at a process's first request.
    - Every template, compiled (``cms.warm_up.compile_templates``: a first admin screen compiled
      its own as it rendered, 0.3-1 s), and the translations.
    - The search's in-memory state (``search.service.warm_up``: the database engine's facet
      columns, seconds at 1,000,000 items, and the matches other processes kept).
    - Then what the process holds is frozen out of the garbage collector's view
      (``gc.freeze``): a full collection otherwise walks every object the application loaded,
      0.3 s in the middle of some request (the county's explorer at a load of 5; 30 ms frozen).
    """
    import gc

    from django.db import connections
    from django.urls import get_resolver

    from cms.warm_up import compile_templates
    from search.service import warm_up

    get_resolver().url_patterns
    compile_templates()
    warm_up()
    connections.close_all()  # the worker's main thread takes no requests
    gc.collect()
    gc.freeze()

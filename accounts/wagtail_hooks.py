from . import two_factor_views  # noqa: F401 (the second factor's admin URLs and account settings panel)

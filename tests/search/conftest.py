"""The in-memory OpenSearch-compatible engine (osmem) for the engine tests, started once per session."""

import pytest
from osmem_server import OsmemServer


@pytest.fixture(scope="session")
def osmem_server():
    """Overrides the osmem plugin's fixture: no seed, and no Japanese analysis (the items arrive analysed)."""
    server = OsmemServer.start(japanese=False)
    yield server
    server.close()

"""`commonground demo --port N`, run as a user runs it (no SITE_URL set): the calendar subscription
address and the iCalendar UIDs name the port it serves on, not 127.0.0.1:8000."""

from __future__ import annotations

import urllib.error

import pytest

from commonground.demo.demo_data import SLUG

from .server import Server
from .test_exports import logged_in

pytestmark = pytest.mark.own_installations  # the same on any test database: run once (core.testing)


@pytest.fixture(scope="module")
def demo_server(tmp_path_factory):
    log = tmp_path_factory.mktemp("demo") / "server.log"
    with log.open("w") as output:
        server = Server(wsgi="demo").start_logging_to(output)
        try:
            yield server
        finally:
            server.stop()


def test_the_demo_links_to_the_port_it_serves_on(demo_server):
    assert demo_server.port != 8000
    opener = logged_in(demo_server, "cochair.public")
    with opener.open(f"{demo_server.url}/c/{SLUG}/calendar/") as response:
        page = response.read().decode()
    with opener.open(f"{demo_server.url}/c/{SLUG}/calendar/?format=ics") as response:
        calendar = response.read().decode()
    assert f"{demo_server.url}/calendar/" in page and "127.0.0.1:8000" not in page
    assert f"@127.0.0.1:{demo_server.port}" in calendar and f"URL:{demo_server.url}/" in calendar
    assert "127.0.0.1:8000" not in calendar


def test_the_demo_runs_as_production_with_its_banner(demo_server):
    """Regression: the demo ran with DEBUG on, so a missing page listed every URL pattern."""
    opener = logged_in(demo_server, "member")
    with pytest.raises(urllib.error.HTTPError) as missing:
        opener.open(f"{demo_server.url}/c/{SLUG}/no-such-page/")
    page = missing.value.read().decode()
    assert missing.value.code == 404 and "There is nothing here that you may see." in page
    assert "URLconf" not in page and "demo-banner" in page
    # static files collected into the data folder and answered by WhiteNoise
    assert (demo_server.data_dir / "static" / "commonground" / "site.css").exists()
    with opener.open(f"{demo_server.url}/static/commonground/site.css") as response:
        assert response.status == 200 and b".demo-banner" in response.read()
    with opener.open(f"{demo_server.url}/c/{SLUG}/") as response:
        assert "demo-banner" in response.read().decode()

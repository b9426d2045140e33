"""`commonground demo --port N`, run as a user runs it (no SITE_URL set): the calendar subscription
address and the iCalendar UIDs name the port it serves on, not 127.0.0.1:8000."""

from __future__ import annotations

import pytest

from commonground.demo.demo_data import SLUG

from .server import Server
from .test_exports import logged_in


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

"""Links to the running app, directly and through a real jupyter-server-proxy."""

import http.client
import re
from urllib.parse import quote

import pytest
import requests

from helpers import app_url, frame, link, serve
from helpers.installed import REDIRECT_CODE

BASE = "/user/learner/"  # the prefix JupyterHub gives a learner's server


def test_locally_the_link_goes_straight_to_the_server(app, monkeypatch):
    monkeypatch.delenv("JUPYTERHUB_SERVICE_PREFIX", raising=False)
    server = serve(app)
    assert app_url(server, "/go") == f"{server.url}/go"
    assert f'href="{server.url}/"' in link(server).data
    assert 'target="_blank"' in link(server).data
    assert f'<iframe src="{server.url}/target"' in frame(server, "target").data


def test_on_a_hub_the_link_goes_through_the_proxy(app, monkeypatch):
    monkeypatch.setenv("JUPYTERHUB_SERVICE_PREFIX", BASE)
    server = serve(app)
    assert app_url(server, "target") == f"/user/learner/proxy/absolute/{server.port}/target"


@pytest.mark.slow  # starts a Jupyter server
@pytest.mark.xdist_group("jupyter")  # shares it with tests/test_browser.py
def test_url_for_links_and_redirects_work_through_jupyter_server_proxy(app, jupyter, monkeypatch):
    url, session, base = jupyter.url, jupyter.session, jupyter.base
    monkeypatch.setenv("JUPYTERHUB_SERVICE_PREFIX", base)
    server = serve(app)
    page = session.get(url + app_url(server, "/"), timeout=10)
    assert page.status_code == 200, page.text
    href = re.search(r'href="([^"]+)"', page.text)[1]
    assert href == f"{base}proxy/absolute/{server.port}/target"
    assert session.get(url + href, timeout=10).text == "target page"

    redirected = session.get(url + app_url(server, "/go"), timeout=10)
    assert [hop.status_code for hop in redirected.history] == [REDIRECT_CODE]  # 302 in Flask 3.1, 303 from 3.2
    assert redirected.url == url + href
    assert redirected.text == "target page"


def test_direct_requests_are_not_rewritten(app):
    server = serve(app)
    page = requests.get(server.url + "/", timeout=5).text
    assert 'href="/target"' in page


def get_raw_path(server, path):
    """Status, Location and body for ``path`` sent exactly as written, as an attacker's client would."""
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=5)
    try:
        connection.request("GET", path)
        answer = connection.getresponse()
        return answer.status, answer.getheader("Location", ""), answer.read().decode()
    finally:
        connection.close()


CRAFTED = ["/%5Cevil.example", "/%5C%5Cevil.example", "//evil.example", "/evil.example", "/user/learner/evil"]


@pytest.mark.parametrize("hub", [BASE, None], ids=["hub", "no-hub"])
@pytest.mark.parametrize("crafted", CRAFTED)
def test_a_crafted_path_cannot_choose_what_url_for_puts_in_front(app, monkeypatch, hub, crafted):
    if hub is None:
        monkeypatch.delenv("JUPYTERHUB_SERVICE_PREFIX", raising=False)
    else:
        monkeypatch.setenv("JUPYTERHUB_SERVICE_PREFIX", hub)
    server = serve(app)
    for page in ["/", "/go"]:
        status, location, body = get_raw_path(server, f"{crafted}/proxy/absolute/{server.port}{page}")
        assert status == 404, f"{crafted} was stripped from the path: {location or body}"
        assert "evil" not in location + body


def test_without_a_hub_the_proxy_path_is_left_alone(app, monkeypatch):
    monkeypatch.delenv("JUPYTERHUB_SERVICE_PREFIX", raising=False)
    server = serve(app)
    assert get_raw_path(server, f"{BASE}proxy/absolute/{server.port}/")[0] == 404


def test_only_the_prefix_of_this_port_is_stripped(app, monkeypatch):
    monkeypatch.setenv("JUPYTERHUB_SERVICE_PREFIX", BASE)
    server = serve(app)
    assert get_raw_path(server, f"{BASE}proxy/absolute/{server.port}0/target")[0] == 404
    assert get_raw_path(server, f"{BASE}proxy/absolute/{server.port + 1}/target")[0] == 404
    status, _, body = get_raw_path(server, f"{BASE}proxy/absolute/{server.port}/")
    assert status == 200 and f'href="{BASE}proxy/absolute/{server.port}/target"' in body
    status, location, _ = get_raw_path(server, f"{BASE}proxy/absolute/{server.port}/go")
    assert status == REDIRECT_CODE and location == f"{BASE}proxy/absolute/{server.port}/target"


def test_a_hub_prefix_with_an_escaped_character_is_matched(app, monkeypatch):
    monkeypatch.setenv("JUPYTERHUB_SERVICE_PREFIX", "/user/ada%20lovelace/")
    server = serve(app)
    status, _, body = get_raw_path(server, f"/user/ada%20lovelace/proxy/absolute/{server.port}/")
    assert status == 200
    href = re.search(r'href="([^"]+)"', body)[1]
    # url_for writes the prefix unescaped; a browser escapes it again when it follows the link.
    assert href == f"/user/ada lovelace/proxy/absolute/{server.port}/target"
    assert get_raw_path(server, quote(href)) == (200, "", "target page")

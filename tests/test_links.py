"""Links to the running app, directly and through a real jupyter-server-proxy."""

import re

import pytest
import requests

from helpers import app_url, frame, link, serve


def test_locally_the_link_goes_straight_to_the_server(app, monkeypatch):
    monkeypatch.delenv("JUPYTERHUB_SERVICE_PREFIX", raising=False)
    server = serve(app)
    assert app_url(server, "/go") == f"{server.url}/go"
    assert f'href="{server.url}/"' in link(server).data
    assert 'target="_blank"' in link(server).data
    assert f'<iframe src="{server.url}/target"' in frame(server, "target").data


def test_on_a_hub_the_link_goes_through_the_proxy(app, monkeypatch):
    monkeypatch.setenv("JUPYTERHUB_SERVICE_PREFIX", "/user/learner/")
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
    assert redirected.history and redirected.history[0].status_code == 302
    assert redirected.url == url + href
    assert redirected.text == "target page"


def test_direct_requests_are_not_rewritten(app):
    server = serve(app)
    page = requests.get(server.url + "/", timeout=5).text
    assert 'href="/target"' in page

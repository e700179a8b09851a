"""The portal's icon: /favicon.ico answers (browsers, crawlers and Lighthouse ask for it on
every site) and every page declares the icon it shows in the browser's tab."""

import pytest
from django.contrib.staticfiles import finders
from PIL import Image

from procedures.tests.factories import home_page

pytestmark = pytest.mark.django_db


def test_favicon_ico_leads_to_the_portals_icon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 302
    assert response["Location"] == "/static/img/favicon.ico"
    assert "max-age=86400" in response["Cache-Control"]
    with Image.open(finders.find("img/favicon.ico")) as icon:
        assert icon.format == "ICO"
        assert {(16, 16), (32, 32), (48, 48)} <= icon.info["sizes"]


def test_favicon_ico_answers_head_and_refuses_post(client):
    assert client.head("/favicon.ico").status_code == 302
    assert client.post("/favicon.ico").status_code == 405


def test_pages_declare_the_icon(client):
    home_page()
    html = client.get("/").content.decode()
    assert '<link rel="icon" href="/static/img/favicon.ico" sizes="48x48">' in html
    assert '<link rel="icon" href="/static/img/favicon.svg" type="image/svg+xml">' in html
    assert finders.find("img/favicon.svg")

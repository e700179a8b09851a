"""What people type into a search box never reaches the database's full-text syntax as
syntax (issue 14): Wagtail's searches — the APIs, the admin's page, document and image
searches — answer a double quote or an FTS operator as text, on SQLite as on PostgreSQL
(core/search)."""

import pytest

from accounts.tests.factories import UserFactory
from procedures.tests.factories import home_page, make_agency, make_document, make_procedure

pytestmark = pytest.mark.django_db

HOSTILE = ['a"b', '"', '"""', '"khai', 'khai" OR "x', "khai*", "NEAR(khai sinh)", "sinh -khai"]


@pytest.fixture
def catalogue():
    home_page()
    agency = make_agency()
    procedure = make_procedure(agency, "Đăng ký khai sinh", "1.001193")
    document = make_document("Tờ khai đăng ký khai sinh")
    return procedure, document


@pytest.fixture
def admin_client(client):
    client.force_login(
        UserFactory(email="quan.tri@example.vn", verified=True, is_staff=True, is_superuser=True)
    )
    return client


@pytest.mark.parametrize("query", HOSTILE)
@pytest.mark.parametrize(
    "url", ["/api/v2/pages/", "/api/v3/pages/", "/api/v3/documents/", "/api/v2/documents/"]
)
def test_the_apis_answer_any_search_with_a_list(client, catalogue, url, query):
    response = client.get(url, {"search": query})
    assert response.status_code == 200, response.content[:300]
    assert isinstance(response.json()["items"], list)


@pytest.mark.parametrize("query", HOSTILE)
@pytest.mark.parametrize("url", ["/admin/pages/search/", "/admin/documents/", "/admin/images/"])
def test_the_admin_searches_answer_any_query(admin_client, catalogue, url, query):
    assert admin_client.get(url, {"q": query}).status_code == 200


@pytest.mark.parametrize("url", ["/api/v2/pages/", "/api/v3/pages/"])
def test_words_typed_in_quotes_still_find_the_page(client, catalogue, url):
    procedure, _document = catalogue
    items = client.get(url, {"search": '"khai sinh"'}).json()["items"]
    assert [item["id"] for item in items] == [procedure.pk]


def test_a_quote_inside_a_word_separates_words_as_other_punctuation_does(client, catalogue):
    _procedure, document = catalogue
    for query in ['khai"sinh', "khai-sinh", "khai sinh"]:
        items = client.get("/api/v3/documents/", {"search": query}).json()["items"]
        assert [item["id"] for item in items] == [document.pk], query

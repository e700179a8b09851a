"""One person's URL, checked with its control: everybody else gets 404, and its rightful
user, at the very same URL and in the same test, gets what they should. Without the
control a 404 proves nothing: a URL that is simply wrong (a typo, a stale code, a route
that went away) answers 404 to everyone."""


def assert_only_the_owner_reaches(
    client, method, url, *, owner, others, status=None, location=None, data=None, unchanged=None
):
    """Request ``url`` with ``method`` ("get" or "post") as each of ``others``, each
    answered 404, then as ``owner``, answered ``status``: by default 200, or a redirect
    to ``location`` when it is given. The owner goes last, so that a POST does its work
    only after the refusals were checked; ``unchanged``, a callable, must return the
    same before and after each refusal (what a refused request would have changed).
    ``data`` may be a callable returning fresh data, as an uploaded file is read once.

    Leaves the owner logged in and returns the owner's response.
    """

    def fetch(user):
        client.force_login(user)
        payload = data() if callable(data) else data
        return getattr(client, method)(url, payload or {})

    expected = status or (302 if location else 200)
    for other in others:
        before = unchanged() if unchanged else None
        response = fetch(other)
        assert response.status_code == 404, (other.email, method, url, response.status_code)
        if unchanged:
            assert unchanged() == before, (other.email, method, url)
    response = fetch(owner)
    assert response.status_code == expected, (owner.email, method, url, response.status_code)
    if location is not None:
        assert response["Location"] == location, (owner.email, method, url)
    return response

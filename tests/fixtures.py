"""Fixtures every app's tests may use (a pytest plugin: ``pytest_plugins`` in the root
conftest.py): a verified citizen, an agency with one of its officials, a level-4
procedure of that agency, and a dossier the citizen submitted to it — each built with
the apps' own factories and services, never by writing rows by hand. A test module's
own fixture of the same name takes precedence."""

import pytest

from accounts.tests.factories import UserFactory
from forms_app.tests.officials import make_official, submit
from procedures.tests.factories import make_agency, make_procedure


@pytest.fixture
def citizen(db):
    return UserFactory(email="nguyen.van.an@example.vn", verified=True)


@pytest.fixture
def agency(db):
    """Sở Tư pháp."""
    return make_agency()


@pytest.fixture
def official(agency):
    return make_official(agency, "can.bo.stp@example.vn", "Trần Thị Bình")


@pytest.fixture
def procedure(agency):
    """ "Đăng ký khai sinh" (1.001193), level 4: two components, one fee of 50.000 đồng,
    5 working days."""
    return make_procedure(agency, components=2, fees=1, processing_time_days=5)


@pytest.fixture
def submitted_dossier(citizen, procedure):
    """The citizen's dossier for the procedure, just after "Gửi đi"."""
    return submit(citizen, procedure)

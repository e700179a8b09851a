"""``manage.py seed_demo``: the demo accounts of README.md, "Demo accounts", usable through
the real login page, restored (not duplicated) by a second run."""

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from accounts.demo import seed_users
from accounts.models import User

pytestmark = pytest.mark.django_db

ADMIN = ("admin@example.com", "Admin@12345")
CITIZENS = [
    ("citizen@example.com", "Citizen@12345"),
    ("citizen2@example.com", "Citizen@12345"),
]
STAFF = [
    ADMIN,
    ("official.stp@example.com", "Official@12345"),
    ("official.skhdt@example.com", "Official@12345"),
    ("editor.stp@example.com", "Editor@12345"),
]
ACCOUNTS = [*STAFF, *CITIZENS]


@pytest.fixture
def seeded():
    """The accounts part of seed_demo (the whole command, with the catalogue, is tested
    once in procedures/tests/test_demo.py: it takes seconds)."""
    seed_users()


def log_in(client, email, password):
    return client.post(reverse("account_login"), {"login": email, "password": password})


def counts():
    return (User.objects.count(), Group.objects.count(), EmailAddress.objects.count())


def test_refuses_without_debug_or_force(settings):
    settings.DEBUG = False

    with pytest.raises(CommandError, match="--force"):
        call_command("seed_demo")

    assert not User.objects.exists()


def test_creates_exactly_the_six_demo_accounts(seeded):
    assert sorted(User.objects.values_list("email", flat=True)) == sorted(
        email for email, _password in ACCOUNTS
    )


def test_demo_accounts_are_as_described(seeded):
    admin = User.objects.get(email=ADMIN[0])
    assert admin.is_superuser
    assert admin.is_staff

    citizen = User.objects.get(email="citizen@example.com")
    citizen2 = User.objects.get(email="citizen2@example.com")
    assert citizen.full_name == "Nguyễn Văn An"
    assert citizen2.full_name == "Trần Thị Bình"
    for user in (citizen, citizen2):
        assert not user.is_staff
        assert not user.is_superuser
        assert EmailAddress.objects.filter(user=user, email=user.email, verified=True).exists()


def test_running_twice_duplicates_no_account(seeded):
    before = counts()

    seed_users()

    assert counts() == before
    assert before[0] == 6


@pytest.mark.parametrize(("email", "password"), ACCOUNTS)
def test_each_demo_account_logs_in_through_the_login_page(client, seeded, email, password):
    response = log_in(client, email, password)

    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == User.objects.get(email=email).pk


@pytest.mark.parametrize(("email", "password"), STAFF)
def test_staff_accounts_open_the_admin(client, seeded, email, password):
    assert log_in(client, email, password).status_code == 302

    response = client.get(reverse("wagtailadmin_home"))

    assert response.status_code == 200


@pytest.mark.parametrize(("email", "password"), CITIZENS)
def test_citizens_are_kept_out_of_the_admin(client, seeded, email, password):
    assert log_in(client, email, password).status_code == 302

    response = client.get(reverse("wagtailadmin_home"))

    assert response.status_code == 403
    assert "Không có quyền truy cập" in response.content.decode()


def test_rerun_restores_a_changed_password(client, seeded):
    email, password = CITIZENS[0]
    user = User.objects.get(email=email)
    user.set_password("Mat-Khau-Moi-2026")
    user.save()
    assert log_in(client, email, password).status_code == 200  # refused: form shown again

    seed_users()

    assert log_in(client, email, password).status_code == 302


def test_rerun_restores_a_demoted_staff_account(client, seeded):
    email, password = STAFF[1]
    User.objects.filter(email=email).update(is_staff=False)
    User.objects.get(email=email).groups.clear()

    seed_users()

    assert log_in(client, email, password).status_code == 302
    assert client.get(reverse("wagtailadmin_home")).status_code == 200

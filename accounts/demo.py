"""Demo accounts for ``seed_demo`` (README.md, "Demo accounts"). Passwords are for the
demo only; running this again restores every account to the state described here."""

import datetime

from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group, Permission
from django.db import transaction

from .constants import Gender
from .models import User

ADMIN_ACCESS = ("wagtailadmin", "access_admin")

# Staff groups are per agency and role; the catalogue and back-office issues give them
# page and dossier permissions. Here they only open the admin.
GROUP_STP_OFFICIALS = "Sở Tư pháp – Cán bộ"
GROUP_SKHDT_OFFICIALS = "Sở Kế hoạch và Đầu tư – Cán bộ"
GROUP_STP_EDITORS = "Sở Tư pháp – Biên tập viên"

DEMO_USERS = [
    {
        "email": "admin@example.com",
        "password": "Admin@12345",
        "full_name": "Quản trị viên Cổng",
        "is_staff": True,
        "is_superuser": True,
    },
    {
        "email": "citizen@example.com",
        "password": "Citizen@12345",
        "full_name": "Nguyễn Văn An",
        "date_of_birth": datetime.date(1990, 5, 12),
        "gender": Gender.MALE,
        "cccd": "054090001234",
        "phone": "+84912345678",
        "permanent_address": "Số 12 đường Trần Hưng Đạo, phường 1, thành phố Tuy Hòa",
    },
    {
        "email": "citizen2@example.com",
        "password": "Citizen@12345",
        "full_name": "Trần Thị Bình",
        "date_of_birth": datetime.date(1995, 8, 20),
        "gender": Gender.FEMALE,
        "cccd": "054195005678",
        "phone": "+84987654321",
        "permanent_address": "Thôn Phú Lộc, xã Hòa An, huyện Phú Hòa",
    },
    {
        "email": "official.stp@example.com",
        "password": "Official@12345",
        "full_name": "Lê Minh Châu",
        "is_staff": True,
        "groups": [GROUP_STP_OFFICIALS],
    },
    {
        "email": "official.skhdt@example.com",
        "password": "Official@12345",
        "full_name": "Phạm Quốc Dũng",
        "is_staff": True,
        "groups": [GROUP_SKHDT_OFFICIALS],
    },
    {
        "email": "editor.stp@example.com",
        "password": "Editor@12345",
        "full_name": "Võ Thị Hạnh",
        "is_staff": True,
        "groups": [GROUP_STP_EDITORS],
    },
]


def _staff_groups():
    access_admin = Permission.objects.get(
        content_type__app_label=ADMIN_ACCESS[0], codename=ADMIN_ACCESS[1]
    )
    groups = {}
    for name in (GROUP_STP_OFFICIALS, GROUP_SKHDT_OFFICIALS, GROUP_STP_EDITORS):
        group, _created = Group.objects.get_or_create(name=name)
        group.permissions.add(access_admin)
        groups[name] = group
    return groups


@transaction.atomic
def seed_users():
    """Create or restore the demo accounts; return them by e-mail."""
    groups = _staff_groups()
    users = {}
    for spec in DEMO_USERS:
        spec = dict(spec)
        email = spec.pop("email")
        password = spec.pop("password")
        group_names = spec.pop("groups", [])
        defaults = {"is_staff": False, "is_superuser": False, "is_active": True, **spec}
        user, _created = User.objects.update_or_create(email=email, defaults=defaults)
        if not user.check_password(password):
            user.set_password(password)
            user.save(update_fields=["password"])
        user.groups.set([groups[name] for name in group_names])
        EmailAddress.objects.update_or_create(
            user=user, email=email, defaults={"verified": True, "primary": True}
        )
        users[email] = user
    return users


def seed(write, **options):
    """``seed_demo``'s part: the demo accounts."""
    write(f"Demo accounts: {len(seed_users())}")

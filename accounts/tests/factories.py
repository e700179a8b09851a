"""Factories for accounts: citizens with valid identity data, verified or not."""

import datetime

import factory
from allauth.account.models import EmailAddress

from accounts.constants import Gender
from accounts.models import User

PASSWORD = "Khoai-Lang-2026"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"cong.dan{n}@example.vn")
    full_name = "Nguyễn Văn An"
    date_of_birth = datetime.date(1990, 5, 12)
    gender = Gender.MALE
    cccd = "001090012345"
    phone = "+84912345678"
    permanent_address = "Số 1 Lê Lợi, phường Bến Nghé"
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def verified(user, create, extracted, **kwargs):
        """``UserFactory(verified=True)`` also records the e-mail as confirmed."""
        user.save()
        if create and extracted:
            EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)

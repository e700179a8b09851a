"""Replace Wagtail's "Welcome" page with the portal's home page, and point the default
site at it, so that a fresh database serves the portal at / straight away."""

from django.db import migrations


def create_homepage(apps, schema_editor):
    ContentType = apps.get_model("contenttypes.ContentType")
    Page = apps.get_model("wagtailcore.Page")
    Site = apps.get_model("wagtailcore.Site")
    Locale = apps.get_model("wagtailcore.Locale")
    HomePage = apps.get_model("home.HomePage")

    # Wagtail's own first migration creates a placeholder at /home/; it is not ours.
    Page.objects.filter(depth=2, slug="home", content_type__app_label="wagtailcore").delete()

    homepage_content_type, _created = ContentType.objects.get_or_create(
        model="homepage", app_label="home"
    )
    locale = Locale.objects.get_or_create(language_code="vi")[0]
    homepage = HomePage.objects.create(
        title="Cổng Dịch vụ công",
        draft_title="Cổng Dịch vụ công",
        slug="home",
        content_type=homepage_content_type,
        path="00010001",
        depth=2,
        numchild=0,
        url_path="/home/",
        locale=locale,
        intro=(
            "Tra cứu thủ tục hành chính, tải mẫu đơn, nộp hồ sơ trực tuyến và theo dõi "
            "kết quả giải quyết."
        ),
    )
    Site.objects.update_or_create(
        is_default_site=True,
        defaults={"hostname": "localhost", "root_page": homepage, "site_name": "Cổng Dịch vụ công"},
    )
    Page.objects.filter(depth=1).update(numchild=1)


def remove_homepage(apps, schema_editor):
    apps.get_model("home.HomePage").objects.filter(slug="home", depth=2).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("home", "0001_initial"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(create_homepage, remove_homepage)]

"""Which group's members are the officials of which agency."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class OfficialGroup(models.Model):
    """The members of ``group`` are officials of ``agency``: they see and process its
    dossiers (and, for a district that is given them, those of its communes)."""

    agency = models.ForeignKey(
        "procedures.AgencyPage",
        verbose_name=_("cơ quan"),
        on_delete=models.CASCADE,
        related_name="official_groups",
    )
    group = models.ForeignKey(
        "auth.Group", verbose_name=_("nhóm cán bộ"), on_delete=models.CASCADE, related_name="+"
    )
    include_subordinates = models.BooleanField(_("kể cả các xã, phường trực thuộc"), default=False)

    class Meta:
        verbose_name = _("nhóm cán bộ của cơ quan")
        verbose_name_plural = _("nhóm cán bộ của cơ quan")
        constraints = [
            models.UniqueConstraint(fields=["agency", "group"], name="one_link_per_agency_group")
        ]

    def __str__(self):
        return f"{self.group} → {self.agency}"

"""A procedure's fee schedule (phí, lệ phí) and how to read it.

Each line is owed always, as one of a group of alternatives, or only in a case its note
describes (``FeeCondition``). The law makes such schedules common: the Luật Hộ tịch 2014
(Điều 11) exempts birth registration on time and charges it when late, so the record of
"Đăng ký khai sinh" lists both rates; the Luật Phí và lệ phí 2015 (Điều 10) lets the
Government, the Minister of Finance and provincial councils exempt or reduce each fee for
children, poor households, people with disabilities and others, so many schedules list a
full and a reduced rate. Which of them a dossier owes is known only when the agency sees
it; until then the schedule has no total, and no money is asked for it.

The same rules read the page's ``ProcedureFee`` rows, a dossier's ``FeeLine`` rows and the
schedule as the import, the content API and a dossier's snapshot write it (dictionaries
with ``name``, ``amount``, ``note``, ``condition`` and ``group``: see ``ScheduledFee``).
"""

import dataclasses

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.formatting import format_vnd

from .constants import FeeCondition

LONE_ALTERNATIVE = gettext_lazy(
    "“%(name)s” là mức thay thế duy nhất của nhóm %(group)s: các mức thay thế nhau cần ít "
    "nhất hai khoản cùng nhóm. Thêm mức còn lại, hoặc chọn cách áp dụng khác."
)
PAY_ON_SUBMISSION_NEEDS_FIXED_AMOUNT = gettext_lazy(
    "Không thể thu phí, lệ phí ngay khi nộp hồ sơ: biểu phí có các mức thay thế nhau hoặc "
    "khoản phí tùy trường hợp, nên số tiền phải nộp chỉ được xác định khi cơ quan tiếp nhận "
    "hồ sơ. Bỏ chọn ô này, hoặc để mọi khoản phí là “Luôn phải nộp”."
)


@dataclasses.dataclass(frozen=True)
class ScheduledFee:
    """One line of a schedule outside the database: in a dossier's snapshot, an import
    row, the content API."""

    name: str
    amount: int
    note: str = ""
    condition: str = FeeCondition.ALWAYS
    alternative_group: int | None = None

    @classmethod
    def from_dict(cls, data):
        """A line as the snapshot and the import write it. A snapshot taken before
        schedules had conditions has none: its lines were all taken as owed."""
        condition = data.get("condition") or FeeCondition.ALWAYS
        return cls(
            name=data.get("name", ""),
            amount=data.get("amount", 0),
            note=data.get("note", ""),
            condition=condition,
            alternative_group=(data.get("group") or 1)
            if condition == FeeCondition.ALTERNATIVE
            else None,
        )


def fee_as_dict(fee):
    """The JSON form of a line (snapshot, import): the inverse of ``ScheduledFee.from_dict``."""
    return {
        "name": fee.name,
        "amount": fee.amount,
        "note": fee.note,
        "condition": fee.condition,
        "group": group_of(fee),
    }


def group_of(fee):
    """The group of an alternative (1 when none was given); None for other lines."""
    if fee.condition != FeeCondition.ALTERNATIVE:
        return None
    return fee.alternative_group or 1


def is_determinate(fees):
    """Whether the schedule's amount is known before anyone sees the dossier: every
    line is always owed (an empty schedule is: nothing is owed)."""
    return all(fee.condition == FeeCondition.ALWAYS for fee in fees)


@dataclasses.dataclass(frozen=True)
class FeeGroup:
    """A line as a reader meets it: alone, or with the alternatives of its group."""

    condition: str
    fees: tuple

    @property
    def is_alternative(self):
        return self.condition == FeeCondition.ALTERNATIVE

    @property
    def is_conditional(self):
        return self.condition == FeeCondition.CONDITIONAL

    @property
    def fee(self):
        """The line of a group of one (always owed, or conditional)."""
        return self.fees[0]


def fee_groups(fees):
    """The schedule in its order, each group of alternatives gathered where its first
    line stands (editors may list them apart)."""
    groups, alternatives = [], {}
    for fee in fees:
        group = group_of(fee)
        if group is None:
            groups.append((fee.condition, [fee]))
        elif group in alternatives:
            alternatives[group].append(fee)
        else:
            alternatives[group] = [fee]
            groups.append((FeeCondition.ALTERNATIVE, alternatives[group]))
    return [FeeGroup(condition, tuple(members)) for condition, members in groups]


def describe_fee(fee):
    """ "Lệ phí đăng ký khai sinh quá hạn: 5.000 đồng"."""
    return _("%(name)s: %(amount)s") % {"name": fee.name, "amount": format_vnd(fee.amount)}


def schedule_lines(fees):
    """The schedule as lines of plain text, one per group, for letters, e-mails and the
    summary of a procedure page: alternatives joined by "hoặc", a conditional line
    followed by its case."""
    lines = []
    for group in fee_groups(fees):
        if group.is_alternative:
            lines.append(f" {_('hoặc')} ".join(describe_fee(fee) for fee in group.fees))
        elif group.is_conditional:
            lines.append(
                _("%(fee)s (tùy trường hợp: %(case)s)")
                % {"fee": describe_fee(group.fee), "case": group.fee.note}
                if group.fee.note
                else _("%(fee)s (tùy trường hợp)") % {"fee": describe_fee(group.fee)}
            )
        else:
            lines.append(describe_fee(group.fee))
    return lines


def schedule_problems(fees, *, pay_on_submission):
    """What is wrong with a schedule as a whole, as ``(index of the line or None, field,
    message)``: an alternative alone in its group (an alternative to nothing), and
    collecting the fee with the submission when its amount is not determinate, since a
    citizen must never be asked online for an amount the agency has not confirmed."""
    problems = []
    members = {}
    for index, fee in enumerate(fees):
        group = group_of(fee)
        if group is not None:
            members.setdefault(group, []).append(index)
    for group, indexes in members.items():
        if len(indexes) == 1:
            index = indexes[0]
            problems.append(
                (
                    index,
                    "condition",
                    LONE_ALTERNATIVE % {"name": fees[index].name, "group": group},
                )
            )
    if pay_on_submission and not is_determinate(fees):
        problems.append((None, "pay_on_submission", PAY_ON_SUBMISSION_NEEDS_FIXED_AMOUNT))
    return problems

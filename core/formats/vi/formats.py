"""How Vietnamese dates are written and typed: day first, always.

Django's own ``vi`` locale sets display formats but no ``DATE_INPUT_FORMATS``, so a
``DateField`` fell back to Django's defaults, which read "05/11/2026" as 11 May and
refuse "20/11/2026". ``FORMAT_MODULE_PATH`` puts these first for every form of the
portal: the wizard's questions, the profile, the admin's forms and filters.
"""

from core.formatting import DATE_INPUT_FORMATS as _DATE_INPUTS
from core.formatting import DATETIME_INPUT_FORMATS as _DATETIME_INPUTS

DATE_FORMAT = "d/m/Y"
SHORT_DATE_FORMAT = "d/m/Y"
DATETIME_FORMAT = "d/m/Y H:i"
SHORT_DATETIME_FORMAT = "d/m/Y H:i"
TIME_FORMAT = "H:i"
MONTH_DAY_FORMAT = "d/m"
YEAR_MONTH_FORMAT = "m/Y"
FIRST_DAY_OF_WEEK = 1  # Monday
DATE_INPUT_FORMATS = list(_DATE_INPUTS)
DATETIME_INPUT_FORMATS = list(_DATETIME_INPUTS)
DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "."
NUMBER_GROUPING = 3

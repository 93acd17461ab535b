"""aftersales (core) models: master data, the working calendar, and records shared by every workflow."""

from aftersales.models.calendar import *  # noqa: F403
from aftersales.models.masterdata import *  # noqa: F403
from aftersales.models.masterdata import add_months, is_in_office_area  # noqa: F401
from aftersales.models.shared import *  # noqa: F403
from aftersales.models.shared import sha256_hex  # noqa: F401

"""aftersales models: master data, shared records, and (by module) the service desk."""

from aftersales.models.calendar import *  # noqa: F403
from aftersales.models.cases import *  # noqa: F403
from aftersales.models.masterdata import *  # noqa: F403
from aftersales.models.masterdata import add_months, is_in_office_area  # noqa: F401
from aftersales.models.reports import *  # noqa: F403
from aftersales.models.shared import *  # noqa: F403
from aftersales.models.shared import sha256_hex  # noqa: F401
from aftersales.models.sla import *  # noqa: F403

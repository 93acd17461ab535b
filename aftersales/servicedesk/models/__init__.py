"""Service desk models: cases with their notes, quotes, revisits and coordination sheets; SLA."""

from aftersales.servicedesk.models.cases import *  # noqa: F403
from aftersales.servicedesk.models.documents import *  # noqa: F403
from aftersales.servicedesk.models.sla import *  # noqa: F403

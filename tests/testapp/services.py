"""The test workflow's services, built like the real apps' plain transition services."""

from aftersales.workflow import transition_service
from tests.testapp.models import Ticket

ticket_approve = transition_service(Ticket, "approve")

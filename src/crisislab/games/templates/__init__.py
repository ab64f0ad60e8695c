"""Published crisis models, each compiled to a :class:`~crisislab.games.tree.GameTree`
and solved in closed form."""

from crisislab.games.templates.base import ClosedForm, ParameterInfo, Template
from crisislab.games.templates.brinkmanship import BRINKMANSHIP
from crisislab.games.templates.brinkmanship_choice import BRINKMANSHIP_CHOICE
from crisislab.games.templates.crisis import AUDIENCE_COSTS, ESCALATION
from crisislab.games.templates.escalation_defender_type import ESCALATION_DEFENDER_TYPE
from crisislab.games.templates.fearon1995 import FEARON_1995
from crisislab.games.templates.fearon_two_types import FEARON_TWO_TYPES
from crisislab.games.templates.kydd_continuous import KYDD_CONTINUOUS
from crisislab.games.templates.kydd_signal import KYDD_SIGNAL
from crisislab.games.templates.kydd_trust import KYDD_TRUST

TEMPLATES: dict[str, Template] = {t.name: t for t in (
    FEARON_1995, AUDIENCE_COSTS, BRINKMANSHIP, KYDD_TRUST, ESCALATION, FEARON_TWO_TYPES,
    KYDD_SIGNAL, ESCALATION_DEFENDER_TYPE, BRINKMANSHIP_CHOICE,
    KYDD_CONTINUOUS)}

__all__ = ["TEMPLATES", "ClosedForm", "ParameterInfo", "Template"]

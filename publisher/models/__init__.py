"""Typed models of the content: what the loader produces and the rest of the code uses."""

from .base import Amount, Mark, Markdown, Node, Percent, Score, SignedAmount
from .content import (
    Acknowledgement,
    Disclosure,
    FinalAccounts,
    GlossaryTerm,
    PublisherNote,
    RegionInfo,
    SiteConfig,
    UnitInfo,
)
from .evaluations import (
    BudgetExecution,
    Funds,
    Goals,
    Indicator,
    Report,
    SangongComparison,
    ScoreSheet,
    Section,
    SelfEvaluation,
)
from .tables import FinalAccountTables
from .tree import Region, Site, Unit

__all__ = [
    "Acknowledgement",
    "Amount",
    "BudgetExecution",
    "Disclosure",
    "FinalAccountTables",
    "FinalAccounts",
    "Funds",
    "GlossaryTerm",
    "Goals",
    "Indicator",
    "Mark",
    "Markdown",
    "Node",
    "Percent",
    "PublisherNote",
    "Region",
    "RegionInfo",
    "Report",
    "SangongComparison",
    "Score",
    "ScoreSheet",
    "Section",
    "SelfEvaluation",
    "SignedAmount",
    "Site",
    "SiteConfig",
    "Unit",
    "UnitInfo",
]

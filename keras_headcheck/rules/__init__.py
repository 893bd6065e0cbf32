"""The rule table. Importing this package registers every rule (the order of the docs)."""

from . import head_rules, loss_rules, metric_rules  # noqa: F401, I001  (registration, in this order)
from . import limit_rules, target_rules  # noqa: F401, E402
from .registry import (
    RULES, Hit, Intent, Rule, RuleHit, rule_hits, run_rules, selected_rules, unparsed_findings, validate_patterns,
)

__all__ = [
    "RULES", "Hit", "Intent", "Rule", "RuleHit", "rule_hits", "run_rules", "selected_rules", "unparsed_findings", "validate_patterns",
]

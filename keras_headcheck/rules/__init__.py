"""The rule table. Importing this package registers every rule, in code order."""

from . import head_rules, loss_rules, metric_rules, target_rules  # noqa: F401  (registration)
from .registry import RULES, Hit, Rule, run_rules, selected_rules, unparsed_findings, validate_patterns

__all__ = ["RULES", "Hit", "Rule", "run_rules", "selected_rules", "unparsed_findings", "validate_patterns"]

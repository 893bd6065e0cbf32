"""The rule table. Importing this package registers every rule (the order of the docs)."""

# Each module registers its rules when imported: in this order, the order of the docs.
from . import head_rules  # noqa: F401, I001
from . import logits_rules, loss_kind_rules, loss_domain_rules  # noqa: F401, E402
from . import metric_rules, limit_rules  # noqa: F401, E402
from . import target_shape_rules, target_value_rules  # noqa: F401, E402
from .registry import (
    RULES, Hit, Intent, Rule, RuleHit, rule_hits, run_rules, selected_rules, unparsed_findings, validate_patterns,
)

__all__ = [
    "RULES", "Hit", "Intent", "Rule", "RuleHit", "rule_hits", "run_rules", "selected_rules", "unparsed_findings", "validate_patterns",
]

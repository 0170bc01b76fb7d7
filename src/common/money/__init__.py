"""The label's money: statements, rates, reconciliation and ad attribution."""

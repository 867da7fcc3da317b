"""Re-assessing the book (every open case) when the rule-set version changes."""

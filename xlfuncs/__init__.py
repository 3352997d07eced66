"""perfeval core: parsing, rule profiles, scoring and checks (no xlwings here)."""

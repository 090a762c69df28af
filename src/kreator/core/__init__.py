"""Kreator's pure domain: profiles, rate cards, stream models, eligibility, estimates.

Nothing in this package reads files, talks to a database or imports a framework;
adapters (ratecards loader, importers, CLI, web, batch) call into it. The rule is
enforced by the import-linter contract in ``pyproject.toml``.
"""

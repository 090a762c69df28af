"""``kreator cards fit``: learn a card's rate levels and spreads from real payouts.

An adapter (files, fx, SciPy), not part of the pure core: :mod:`.observations` reads the rows,
:mod:`.stats` fits each stream, :mod:`.folds` scores base and fitted card leaving creators out,
:mod:`.writer` writes the fitted card. See docs/cards-fit.md.
"""

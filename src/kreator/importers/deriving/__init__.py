"""Deriving a profile: facts from many files merged (the best-ranked source wins, duplicates
out) and turned into profile values over one window, each with its source and method."""

"""Reading TikTok's formats: one module per source format (Studio, the personal export, the
Display and Business APIs, Shop orders, Kreator's own profile files) and what they share
(tables, text, dates, income events). Each turns bytes into neutral, dated facts
(:mod:`kreator.importers.model`)."""

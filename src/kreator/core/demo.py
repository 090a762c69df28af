"""The built-in demo creator: a typical small creator as the seed article describes one.

4,000 followers (inside the seed's 1,000-10,000), niche beauty (a high-paying niche), an
audience mostly in high-CPM regions, three videos a week, engagement a little above the
nano benchmark, one LIVE a week, one sponsored post a month, a few affiliate sales.
"""

from __future__ import annotations

from kreator.core.profile import Profile

DEMO = Profile(
    display_name="Demo creator",
    followers=4_000,
    views_30d=60_000,
    videos_30d=12,
    likes_30d=3_900,
    comments_30d=300,
    shares_30d=240,
    niche="beauty",
    audience={"US": 0.55, "GB": 0.15, "CA": 0.1},
    quality=3.5,
    age=24,
    country="US",
    lives_per_month=4,
    sponsored_posts_per_month=1,
    affiliate_sales_per_month=8,
    shop_gmv_per_month=250,
    follower_growth_per_month=350,
)

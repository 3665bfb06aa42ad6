"""The picture across documents: resolved entities, claim clusters, figure tracks, a timeline.

``Picture`` is the read API every face of sitroom calls (``sitroom.picture.api``); it pages
through the picture's tables, which ``maintain`` keeps up to date with the functions of the
other modules (each derives a group's items from its store rows).
"""

from sitroom.picture.api import NotFound, Page, Picture, check_date
from sitroom.picture.claims import ClaimCluster, cluster_claims, speaker_counts
from sitroom.picture.entities import EntityIndex, ResolvedEntity, resolve
from sitroom.picture.figures import FigureTrack, tracks_of
from sitroom.picture.timeline import timeline

__all__ = ["ClaimCluster", "EntityIndex", "FigureTrack", "NotFound", "Page", "Picture", "ResolvedEntity",
           "check_date", "cluster_claims", "resolve", "speaker_counts", "timeline", "tracks_of"]
